import { Injectable, type OnModuleInit } from '@nestjs/common';

/**
 * Registers the OpenAPI document and Swagger UI routes during the app's init, after the API's own
 * routes and before the not-found handler. Set up before init, as usual, they came first in
 * Express's route matching: every webhook was matched against the nine docs routes before its own.
 */
@Injectable()
export class DocsRoutes implements OnModuleInit {
  private register: (() => void) | undefined;

  /** `register` runs once, when the app initialises. */
  registerOnInit(register: () => void): void {
    this.register = register;
  }

  onModuleInit(): void {
    this.register?.();
    this.register = undefined;
  }
}
