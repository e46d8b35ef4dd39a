/**
 * `npm start`: the local sandbox on http://localhost:8080 (env PORT), data in sandbox/ (env
 * SANDBOX_DIR). Ctrl-C lets the current execution finish, saves, and closes the server.
 */
import { startSandbox } from './app';

async function main(): Promise<void> {
  const running = await startSandbox({
    dir: process.env.SANDBOX_DIR || undefined,
    now: process.env.SANDBOX_NOW ? new Date(process.env.SANDBOX_NOW) : undefined,
    log: (line) => console.log(line),
  });
  const { sandbox, url } = running;
  console.log(`Sirrius Ops — bac à sable prêt : ${url}`);
  console.log(`  Pilotage des fournisseurs : ${url}/`);
  console.log(`  La feuille               : ${url}/sheet`);
  console.log(`  Web app                  : ${url}/exec`);
  console.log(`  Classeur                 : ${sandbox.xlsxFile}`);
  if (sandbox.realProviders.size) console.log(`  APIs RÉELLES pour : ${[...sandbox.realProviders].join(', ')}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return; // a second Ctrl-C while saving does not cut the write short
    stopping = true;
    console.log(`\n${signal} : fin de l'exécution en cours et enregistrement…`);
    running.close().then(
      () => {
        console.log('Enregistré. Au revoir.');
        process.exit(0);
      },
      (e) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
