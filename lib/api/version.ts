/**
 * What the API says it is. AWX clients read these headers: the awx.awx collection compares the
 * product name and version with its own and warns on a mismatch, so Towerless answers as the AWX
 * release whose API it follows.
 */
export const PRODUCT_NAME = 'AWX';
export const PRODUCT_VERSION = '24.6.1';
export const API_PREFIX = '/api/v2';
