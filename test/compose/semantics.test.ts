/**
 * Compose semantics that a schema check misses: settings, start order, the image's layout,
 * ports and volumes, checked against the code. Each check is also fed a broken copy, so it
 * is known to be able to fail. image-check/run proves the same inside the built image.
 */
import { parse } from 'yaml';
import { composeText, type ComposeFile } from './composeFile';
import { imageProblems, portAndVolumeProblems, runtimeStage, settingsProblems, startOrderProblems } from './semantics';

const fresh = (): ComposeFile => parse(composeText, { merge: true }) as ComposeFile;

describe('docker-compose.yml against the code', () => {
  it('sets on every Streamdex service only settings its schema reads, and every setting without a default', () => {
    expect(settingsProblems(fresh())).toEqual([]);
  });

  it('notices a misspelt setting, a server left at its loopback default and a value the schema refuses', () => {
    const c = fresh();
    const indexer = c.services['consumer-indexer']!.environment as Record<string, string>;
    indexer.OPENSEARCH_UR = indexer.OPENSEARCH_URL!;
    delete indexer.OPENSEARCH_URL;
    (c.services['consumer-processor']!.environment as Record<string, string>).IP_MODE = 'scramble';
    expect(settingsProblems(c)).toEqual([
      expect.stringMatching(/^consumer-processor: IP_MODE: /),
      'consumer-indexer: sets OPENSEARCH_UR, which its settings schema does not read',
      "consumer-indexer: does not set OPENSEARCH_URL; its default is not a server in another container",
    ]);
  });

  it('starts each service only after what it reads from is ready', () => {
    expect(startOrderProblems(fresh())).toEqual([]);
  });

  it('notices a service that would start before its topics or its OpenSearch exist', () => {
    const c = fresh();
    delete (c.services['consumer-indexer']!.depends_on as Record<string, unknown>).opensearch;
    c.services['producer-music']!.depends_on = { kafka: { condition: 'service_healthy' } };
    expect(startOrderProblems(c)).toEqual([
      'consumer-indexer: starts without waiting for opensearch (service_healthy)',
      'producer-music: starts without waiting for topics-init (service_completed_successfully)',
    ]);
  });

  it("runs entry points that the image's runtime stage copies, with healthchecks on the port it exposes", () => {
    expect(runtimeStage()).toEqual({ workdir: '/app', copied: expect.arrayContaining(['/app/dist']), exposed: ['9464'] });
    expect(imageProblems(fresh())).toEqual([]);
  });

  it('notices an entry point outside the image and a healthcheck with curl, which the slim image lacks', () => {
    const c = fresh();
    c.services['topics-init']!.command = ['node', 'src/admin.js'];
    c.services['producer-login']!.healthcheck = { test: ['CMD', 'curl', '-f', 'http://127.0.0.1:9464/healthz'] };
    const problems = imageProblems(c);
    expect(problems).toEqual([
      expect.stringMatching(/^topics-init: \/app\/src\/admin\.js is in nothing the Dockerfile's runtime stage copies/),
      'producer-login: healthcheck is not an exec-form node command: ["CMD","curl","-f","http://127.0.0.1:9464/healthz"]',
    ]);
  });

  it('publishes ports on loopback only, once each, and declares exactly the volumes it uses', () => {
    expect(portAndVolumeProblems(fresh())).toEqual([]);
    const c = fresh();
    c.services.opensearch!.ports = ['9092:9200'];
    (c.volumes as Record<string, unknown>).spare = null;
    expect(portAndVolumeProblems(c)).toEqual([
      'opensearch: publishes 9092:9200 beyond loopback',
      'volume spare is declared but no service uses it',
    ]);
  });
});
