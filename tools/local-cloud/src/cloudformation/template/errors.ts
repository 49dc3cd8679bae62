/** A template that cannot be resolved; `path` says where (e.g. `Resources.Role.Properties.Policies[0]`). */
export class TemplateError extends Error {
  public constructor(
    message: string,
    public readonly path: string,
    options?: ErrorOptions,
  ) {
    super(`${message} (at ${path})`, options);
    this.name = 'TemplateError';
  }
}
