// Runs one execution of an ASL definition with aws-local-stepfunctions (its StateMachine API) and prints
// one JSON document on stdout: {"status":"SUCCEEDED","output":...,"history":[...]} or
// {"status":"FAILED","error":...,"cause":...,"history":[...]}. Exit code 0 whenever the execution ran.
//
// Why not the local-sfn command: it prints the output with console.log (Node's inspect format, objects
// deeper than two levels become "[Object]", not JSON) and prints only the Cause of a failed execution.
//
// Lambda Task states are invoked like Step Functions invokes them: through the Lambda Invoke API
// (@aws-sdk/client-lambda, which honours AWS_ENDPOINT_URL_LAMBDA), with no SDK-level retries, so the
// definition's own Retry blocks see every error. Errors are named as Step Functions names them:
//   function error  -> Error = the payload's errorType, Cause = the payload (JSON text)
//   Lambda API error -> Error = "Lambda." + the exception name (Lambda.TooManyRequestsException, ...)
//   no HTTP answer   -> Error = "Lambda.SdkClientException"
// (local-sfn's own Lambda client names API errors without the "Lambda." prefix and gives the Cause as
// "errorType: errorMessage", so Retry on Lambda.* and a Cause parsed as JSON could not be exercised.)
//
// Usage: node run-state-machine.cjs NODE_MODULES_DIR DEFINITION_FILE < input.json
'use strict';
const fs = require('fs');
const path = require('path');

const [modulesDir, definitionFile] = process.argv.slice(2);
if (!modulesDir || !definitionFile) {
  process.stderr.write('usage: run-state-machine.cjs NODE_MODULES_DIR DEFINITION_FILE < input.json\n');
  process.exit(64);
}
const { StateMachine, ExecutionError, ExecutionTimeoutError } = require(path.join(modulesDir, 'aws-local-stepfunctions'));
const { LambdaClient, InvokeCommand } = require(path.join(modulesDir, '@aws-sdk/client-lambda'));

const LAMBDA_FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9$_-]+)?$/;

function lambdaTasks(definition, out) {
  for (const [name, state] of Object.entries(definition.States || {})) {
    if (state.Type === 'Task') {
      if (!LAMBDA_FUNCTION_ARN.test(state.Resource)) {
        throw new Error(`Task state '${name}' has Resource '${state.Resource}': only Lambda function ARNs are supported here`);
      }
      if (out[name]) {
        throw new Error(`two Task states are named '${name}'`);
      }
      out[name] = state.Resource;
    }
    if (state.ItemProcessor || state.Iterator) {
      lambdaTasks(state.ItemProcessor || state.Iterator, out);
    }
    for (const branch of state.Branches || []) {
      lambdaTasks(branch, out);
    }
  }
  return out;
}

function namedError(name, message) {
  const e = new Error(message);
  e.name = name;
  return e;
}

function lambdaApiError(e) {
  const status = e && e.$metadata ? e.$metadata.httpStatusCode : undefined;
  if (status === undefined) {
    return namedError('Lambda.SdkClientException', `Unable to execute HTTP request: ${e && e.message}`);
  }
  const code = e.name && /^[A-Za-z]+Exception$/.test(e.name) && e.name !== 'LambdaServiceException' ? e.name : null;
  return namedError(code ? `Lambda.${code}` : 'Lambda.AWSLambdaException',
    `${e.message} (Service: AWSLambda; Status Code: ${status}; Error Code: ${e.name}; Request ID: ${e.$metadata.requestId || 'local'})`);
}

function invoker(client, functionArn) {
  return async (input) => {
    let response;
    try {
      response = await client.send(new InvokeCommand({
        FunctionName: functionArn,
        Payload: Buffer.from(JSON.stringify(input), 'utf8'),
      }));
    } catch (e) {
      throw lambdaApiError(e);
    }
    const text = response.Payload && response.Payload.length ? Buffer.from(response.Payload).toString('utf8') : 'null';
    if (response.FunctionError) {
      let errorType = 'Lambda.Unknown';
      try {
        const parsed = JSON.parse(text);
        if (parsed && typeof parsed.errorType === 'string' && parsed.errorType) {
          errorType = parsed.errorType;
        }
      } catch (ignored) {
        // the payload is not JSON: keep Lambda.Unknown
      }
      throw namedError(errorType, text);
    }
    return JSON.parse(text);
  };
}

function compact(event) {
  const e = { type: event.type };
  if (event.state) e.state = event.state.name;
  if (event.parentState) e.parentState = event.parentState.name;
  if (event.index !== undefined) e.index = event.index;
  if (event.Error !== undefined) e.error = event.Error;
  if (event.Cause !== undefined) e.cause = typeof event.Cause === 'string' ? event.Cause : JSON.stringify(event.Cause);
  if (event.retry) e.attempt = event.retry.attempt;
  return e;
}

async function main() {
  const definition = JSON.parse(fs.readFileSync(definitionFile, 'utf8'));
  const input = JSON.parse(fs.readFileSync(0, 'utf8'));
  const client = new LambdaClient({ maxAttempts: 1 });
  const overrides = {};
  for (const [state, arn] of Object.entries(lambdaTasks(definition, {}))) {
    overrides[state] = invoker(client, arn);
  }
  const stateMachine = new StateMachine(definition, {});
  // HITBREAKS_WAIT_OVERRIDES: {"WaitState": milliseconds}, to shorten Wait states in tests.
  const waitTimeOverrides = process.env.HITBREAKS_WAIT_OVERRIDES ? JSON.parse(process.env.HITBREAKS_WAIT_OVERRIDES) : {};
  // $$.Execution.Id and Name, and $$.StateMachine.Id and Name, as Step Functions gives them (the runtime adds StartTime
  // and Input itself);
  // HITBREAKS_EXECUTION_NAME names the execution, else a random name.
  const name = process.env.HITBREAKS_EXECUTION_NAME || require('crypto').randomUUID();
  const context = {
    Execution: { Name: name, Id: `arn:aws:states:us-east-1:123456789012:execution:hit-breaks-local:${name}` },
    StateMachine: { Name: 'hit-breaks-local', Id: 'arn:aws:states:us-east-1:123456789012:stateMachine:hit-breaks-local' },
  };
  const execution = stateMachine.run(input, { overrides: { taskResourceLocalHandlers: overrides, waitTimeOverrides }, context });
  const history = [];
  const collected = (async () => {
    for await (const event of execution.eventLogs) {
      history.push(compact(event));
    }
  })();
  let outcome;
  try {
    const output = await execution.result;
    outcome = { status: 'SUCCEEDED', output };
  } catch (e) {
    if (e instanceof ExecutionTimeoutError) {
      outcome = { status: 'FAILED', error: 'States.Timeout', cause: 'the execution timed out' };
    } else {
      const error = e instanceof ExecutionError && e.cause ? e.cause : e;
      outcome = { status: 'FAILED', error: error.name || 'Error', cause: error.message || '' };
    }
  }
  await Promise.race([collected, new Promise((resolve) => setTimeout(resolve, 1000))]);
  outcome.history = history;
  process.stdout.write(JSON.stringify(outcome) + '\n');
}

main().catch((e) => {
  process.stderr.write(`run-state-machine: ${e && e.stack ? e.stack : e}\n`);
  process.exit(70);
});
