// `npm run deploy`: pushes (as `npm run push`), then updates the ONE kept web app deployment with
// `clasp deploy -i <id>`, so its /exec URL (registered at Stripe, Meta and Twilio) never changes.
// Without `-i`, clasp calls deployments.create (core/project.js) and makes a new URL: that happens
// only with `npm run deploy -- --create`, once, and the new id is then to be kept.
import { writeFileSync } from 'node:fs';
import { deploymentFile, deployedId, execUrl, keptDeploymentId, runClasp } from './clasp.mjs';
import { push } from './push.mjs';

export function deploy(argv = process.argv.slice(2), env = process.env) {
  const create = argv.includes('--create');
  const kept = keptDeploymentId(env);
  if (!kept && !create) {
    console.error(
      'npm run deploy: no kept deployment. Put its id in deployment.json ({"deploymentId": "AKfy…"}, committed) or in\n' +
        'WEBAPP_DEPLOYMENT_ID; or, for the very first deployment only, run `npm run deploy -- --create`.',
    );
    return false;
  }
  if (kept && create) {
    console.error(`npm run deploy: a deployment is already kept (${kept}); --create would make a second /exec URL. Refused.`);
    return false;
  }
  if (!push(env)) return false;
  const { status, out } = runClasp(kept ? ['deploy', '-i', kept, '-d', 'npm run deploy'] : ['deploy', '-d', 'npm run deploy'], env);
  const id = deployedId(out);
  if (status !== 0 || !id) {
    console.error(`npm run deploy: FAILED: clasp ${status !== 0 ? `exited with ${status}` : 'did not print the deployment'}.`);
    return false;
  }
  if (kept && id !== kept) {
    console.error(`npm run deploy: FAILED: clasp answered deployment ${id}, not the kept ${kept}.`);
    return false;
  }
  if (!kept) {
    writeFileSync(deploymentFile(env), `${JSON.stringify({ deploymentId: id }, null, 2)}\n`);
    console.log(`npm run deploy: created deployment ${id}, written to deployment.json: commit it.`);
    console.log(`Set the Script Property WEBAPP_URL to ${execUrl(id)} and register that URL at the providers.`);
  } else {
    console.log(`npm run deploy: ok, ${execUrl(id)} now serves this version.`);
  }
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(deploy() ? 0 : 1);
