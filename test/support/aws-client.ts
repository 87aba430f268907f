// The official EC2 client pointed at a test server: SigV4 signing, Query serialisation and XML
// parsing are all the SDK's own.
import { EC2Client } from '@aws-sdk/client-ec2';
import { TEST_AK, TEST_SK } from './server.ts';

export function ec2Client(
  endpoint: string,
  credentials = { accessKeyId: TEST_AK, secretAccessKey: TEST_SK },
  region = 'us-east-1',
): EC2Client {
  return new EC2Client({ endpoint, region, credentials, maxAttempts: 1 });
}

/** Runs a command expected to fail and returns the SDK's error (name, message, status, request id). */
export async function ec2Failure(
  promise: Promise<unknown>,
): Promise<{ name: string; message: string; status?: number; requestId?: string }> {
  try {
    await promise;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number; requestId?: string }; Code?: string };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode, requestId: e.$metadata?.requestId };
  }
  throw new Error('the command succeeded but a failure was expected');
}
