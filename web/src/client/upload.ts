import { csrfHeaders } from './http';
import { ProblemError } from './problem';

/**
 * A multipart upload with progress, which fetch cannot report. `path` and the answer's type come
 * from the typed client's schema at the call site.
 */
export function uploadWithProgress<T>(
  path: string,
  form: FormData,
  onProgress: (fraction: number) => void,
  method: 'POST' | 'PUT' = 'POST',
): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(method, path);
    for (const [name, value] of Object.entries(csrfHeaders())) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onerror = () => reject(new ProblemError({ status: 0, code: 'NETWORK_ERROR' }));
    request.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        body = undefined;
      }
      if (request.status >= 200 && request.status < 300) resolve(body as T);
      else
        reject(
          new ProblemError(
            body && typeof body === 'object' && 'code' in body
              ? { ...(body as { code: string }), status: request.status }
              : { status: request.status, code: `HTTP_${request.status}` },
          ),
        );
    };
    request.send(form);
  });
}
