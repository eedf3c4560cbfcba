/** An admin-API failure with the HTTP status the `/_emulator/` route answers. */
export class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'AdminError';
  }
}
