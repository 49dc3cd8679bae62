export { ADMIN_TOKEN_FILE, ADMIN_TOKEN_HEADER, AdminToken, readAdminToken, StartSecret } from './admin-token';
