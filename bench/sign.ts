import { Sha256 as Sha256Js } from '@aws-crypto/sha256-js';
import { Sha256 as NodeSha256, signRequest } from '@sigv4-auth/signed-fetch';
import { SignatureV4 } from '@smithy/signature-v4';
import aws4 from 'aws4';
import { AwsClient } from 'aws4fetch';
import { createSignedFetcher } from 'aws-sigv4-fetch';
import {
  interleavedMicroseconds,
  median,
  perRound,
  spreadOf,
  type MeasureOptions,
  type Spread,
} from './measure';

/** The request every signer signs: a 1 KB JSON POST to an execute-api URL (issue 6). */
const URL_TEXT = 'https://abc123def4.execute-api.us-east-1.amazonaws.com/prod/orders';
const BODY = JSON.stringify({ customerId: 'c-42', note: 'x'.repeat(1024 - 40) });
const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const scope = { region: 'us-east-1', service: 'execute-api' };
const headers = { 'content-type': 'application/json' };

function smithy(sha256: typeof NodeSha256) {
  const url = new URL(URL_TEXT);
  const signer = new SignatureV4({ ...scope, credentials, sha256 });
  return () =>
    signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      path: url.pathname,
      query: {},
      headers: { ...headers, host: url.host },
      body: BODY,
    });
}

export interface SignResults {
  ours_us: number;
  aws4_us: number;
  aws4fetch_us: number;
  aws_sigv4_fetch_us: number;
  smithy_sha256js_us: number;
  smithy_node_us: number;
  /** ours / aws4, round by round (issue goal: median <= 1.0). */
  ours_to_aws4: Spread;
}

/** Microseconds to sign the same request, per signer (medians). */
export async function benchSign(options: MeasureOptions): Promise<SignResults> {
  const body = new TextEncoder().encode(BODY);
  const url = new URL(URL_TEXT);
  const ours = () =>
    signRequest({ method: 'POST', url, headers, body }, credentials, scope, { signingDate: new Date() });
  const viaAws4 = () =>
    aws4.sign(
      { host: url.host, path: url.pathname, method: 'POST', body: BODY, headers: { ...headers }, ...scope },
      credentials,
    );
  const client = new AwsClient({ ...credentials, ...scope });
  const viaAws4fetch = () => client.sign(URL_TEXT, { method: 'POST', body: BODY, headers });
  // aws-sigv4-fetch only signs on the way to fetch: hand it a fetch that answers at once.
  const answered = async () => new Response(null, { status: 204 });
  const sigv4Fetch = createSignedFetcher({ ...scope, credentials, fetch: answered as typeof fetch });
  const viaSigv4Fetch = () => sigv4Fetch(URL_TEXT, { method: 'POST', body: BODY, headers });

  // All six timed in the same rounds, in rotating order: one signer's drift cannot land on another's.
  const us = await interleavedMicroseconds(
    {
      ours_us: ours,
      aws4_us: viaAws4,
      aws4fetch_us: viaAws4fetch,
      aws_sigv4_fetch_us: viaSigv4Fetch,
      smithy_sha256js_us: smithy(Sha256Js),
      smithy_node_us: smithy(NodeSha256),
    },
    options,
  );
  return {
    ours_us: median(us.ours_us),
    aws4_us: median(us.aws4_us),
    aws4fetch_us: median(us.aws4fetch_us),
    aws_sigv4_fetch_us: median(us.aws_sigv4_fetch_us),
    smithy_sha256js_us: median(us.smithy_sha256js_us),
    smithy_node_us: median(us.smithy_node_us),
    ours_to_aws4: spreadOf(perRound(us.ours_us, us.aws4_us)),
  };
}
