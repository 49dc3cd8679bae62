export const VERSION = '0.1.0';

export const USAGE = `Usage: signed-fetch [options] <url>

curl through AWS Signature V4: calls AWS_IAM-protected APIs (API Gateway, Lambda function URLs, and other
AWS endpoints with --service/--region) with your AWS credentials. Options as in curl where they overlap.

HTTP (as curl)
  -X, --request <method>     method (default GET, or POST with a body)
  -H, --header <h: v>        add a header; repeatable; "Name:" removes one; X-Amz-Date: <YYYYMMDDTHHMMSSZ>
                             signs at that time (as curl --aws-sigv4 does), e.g. to try an expired signature
  -d, --data <data>          body, form-encoded; @file or @- (stdin), newlines stripped; repeatable (joined by &)
      --data-binary <data>   body as is; @file or @-
      --data-raw <data>      body as is, no @ handling
      --json <data>          body as is, with Content-Type and Accept: application/json
  -i, --include              print the status line and response headers
  -I, --head                 HEAD request, print the headers
  -o, --output <file>        write the body to a file (- for stdout)
  -s, --silent               no error messages (-S, --show-error: errors again)
  -f, --fail                 exit 22 when the status is >= 400 (and print no body)
  -m, --max-time <seconds>   time limit per attempt (exit 28; 0: none)
      --retry <n>            retry up to n times on timeouts, unresolved hosts, 408/429/500/502/503/504
      --retry-delay <s>      seconds between retries (default/0: 1, doubling; Retry-After wins)
  -v, --verbose              to stderr: the canonical request, the string to sign, request and response
                             headers. Secrets are redacted (secret key never, token and signature cut).

AWS
      --region <region>      signing region (default: from the URL, AWS_REGION, then the profile)
      --service <name>       signing service (default: from the URL, else execute-api)
      --profile <name>       a profile of ~/.aws/config and ~/.aws/credentials (or AWS_PROFILE,
                             AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE)
      --role-arn <arn>       assume this role first (STS at the profile's endpoint_url, AWS_ENDPOINT_URL_STS
      --role-session-name <n>  or AWS_ENDPOINT_URL when set, so also against the local cloud)
      --presign              print a presigned URL (signature in the query) instead of sending
      --expires <seconds>    presigned URL lifetime (default 900, at most 604800; temporary
                             credentials end it sooner: a warning says when)
      --local                use the running local cloud's profiles (npm start): .local-cloud/aws-*,
                             profile local (the developer), or --profile partner (another account)

  -h, --help, -V, --version

Exit codes: 0 ok, 1 other failure (e.g. no credentials), 2 bad usage, 6 host not resolved, 7 could not
connect, 22 HTTP >= 400 with --fail, 23 could not write -o, 26 could not read @file, 28 timeout,
56 connection broken, 60 TLS certificate refused.

Examples (after npm start):
  signed-fetch --local http://127.0.0.1:4566/restapis/<id>/local/_user_request_/whoami
  signed-fetch --local --json '{"name":"Ada","email":"ada@example.com"}' <customer-service>/customers
  signed-fetch --local --role-arn arn:aws:iam::000000000000:role/customer-reader -f <customer-service>/customers/<id>
`;
