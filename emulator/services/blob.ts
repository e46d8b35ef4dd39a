/** A minimal Blob (bytes, content type, name), shared by Utilities.newBlob and HTTPResponse.getBlob. */
import type { Execution } from '../core';
import { strict } from '../core';
import { signedBytes } from './common';

/** Builds a Blob facade over bytes. `service` is the service the calls are counted under. */
export function makeBlob(exec: Execution, service: string, bytes: Buffer, contentType: string | null, name: string | null): GoogleAppsScript.Base.Blob {
  let type = contentType;
  let fileName = name;
  const self = strict(exec, service, 'Blob', {
    getBytes: () => signedBytes(exec, bytes),
    getDataAsString: (charset?: string) => bytes.toString(charset && /ascii/i.test(charset) ? 'ascii' : 'utf8'),
    getContentType: () => type,
    setContentType: (t: string) => {
      type = t;
      return self;
    },
    getName: () => fileName,
    setName: (n: string) => {
      fileName = n;
      return self;
    },
    setDataFromString: (s: string) => {
      bytes = Buffer.from(String(s), 'utf8');
      return self;
    },
    copyBlob: () => makeBlob(exec, service, Buffer.from(bytes), type, fileName),
    isGoogleType: () => false,
  });
  return self as unknown as GoogleAppsScript.Base.Blob;
}
