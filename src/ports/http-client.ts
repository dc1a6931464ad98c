/** Outgoing HTTP for HTTP tasks, run by the host outside any decision. */

export interface HttpRequest {
  uri: string;
  method: string;
  headers: Record<string, string>;
  body?: unknown;
  accept: string;
  contentType: string;
  /** Milliseconds to connect, and to read the answer; together they bound the call. */
  connectionTimeOut: number;
  readTimeOut: number;
}

export interface HttpResponse {
  statusCode: number;
  reasonPhrase: string;
  headers: Record<string, string[]>;
  /** Parsed as JSON when it is JSON, else the text. */
  body: unknown;
}

export interface HttpClient {
  /** Resolves with any answer (including 4xx/5xx); rejects when there is none (refused, timed out). */
  send(request: HttpRequest): Promise<HttpResponse>;
}
