/** The peers benchmark's handler: served by serverless-offline and by the local cloud, the same bytes. */
export const TRIVIAL_HANDLER = `exports.handler = async () => ({ statusCode: 200, body: '{"ok":true}' });\n`;
