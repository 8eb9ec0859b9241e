// The extension's fixed identities, so the helper's host manifests can name it.
// Chromium derives the id from the public key in the manifest (`key`); the private key is not kept anywhere.
export const CHROMIUM_EXTENSION_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA1dyrtICAkBVg9nXQEDTK+cCgOXYNI718Ud4uqPwH7AGkjrF/Jvj1+OEaUqs6vCgHd+wlZvp8eP6DpkDtLWrucUhVOfrderc9W9fd82OuoXCkyvfUwmWx0IKaQHnl2kdq7aQTTvxpnGsj3sLfL3/GmLPM/cDI+CST+xgKHivIBj5RFWeDsvJhwRSddi5EYGQhyRlb4afVt3gFD0wKClHRnLizkOXHPuNKOEJO3KMaacT6aoe7ZrHdcZaRiZeZlGCVuq1pVgHqRHQ6GGxKqA42iBhqAqZGGRrjsbQotrLuEPRf5zRk7GYG+lZLEFcZJfMfIhEFF4/fusSECqmoR8IJPwIDAQAB';
export const CHROMIUM_EXTENSION_ID = 'oceangmclpdocalnfjeodmagkblhmdel';
export const FIREFOX_EXTENSION_ID = 'mta-sts-inspector@mta-sts-inspector.dev';
