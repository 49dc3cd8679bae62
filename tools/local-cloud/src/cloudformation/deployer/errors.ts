/** A deployment refused before anything changed: the stack stays as it was. */
export class DeploymentError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DeploymentError';
  }
}
