/** Injection token of the resolved `SessionEndpointsModule` options. */
export const SESSION_ENDPOINTS_OPTIONS = Symbol('gatehouse:SESSION_ENDPOINTS_OPTIONS');
