/** Injection tokens: the code runs without decorator metadata, so every injection names its token. */
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');
export const ORDER_READER = Symbol('ORDER_READER');
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');
export const API_LOGGER = Symbol('API_LOGGER');
export const TEMPORAL_UI_SETTINGS = Symbol('TEMPORAL_UI_SETTINGS');
export const ORDER_VIEW_SETTINGS = Symbol('ORDER_VIEW_SETTINGS');
export const AUTH_SETTINGS = Symbol('AUTH_SETTINGS');
export const STATION_FAULTS_PUBLISHER = Symbol('STATION_FAULTS_PUBLISHER');
export const ORDER_CHANGES = Symbol('ORDER_CHANGES');
export const REPORT_READER = Symbol('REPORT_READER');
/** How this API starts order workflows (OrderStartSettings). */
export const ORDER_START = Symbol('ORDER_START');
export const STOCK_LEVELS = Symbol('STOCK_LEVELS');
