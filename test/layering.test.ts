// The import rules of docs/ARCHITECTURE.md ("Layers and what each may import"), checked on every
// import and export-from line of src/**/*.ts. A broken rule fails with the file, the import as
// written and the rule. Where today's code still breaks a rule, the import is listed in DEBT
// below with the reason and the issue that removes it: the exemption is explicit, never silent.
//
// Unit tests (*.test.ts) and test helpers (test-support.ts, test-fixtures.ts) may reach across
// layers to set up what they check; in exchange, no production file may import a test helper.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '..');

/** An import in a source file: `target` is a src/ path, or `pkg:<name>` for a package. */
interface Edge {
  file: string;
  spec: string;
  target: string;
}

// `import x from '…'`, `import type {…} from '…'` (also over several lines), `export … from '…'`,
// `import '…'` and `import('…')`. Comment lines start with // or * and never match.
const STATIC = /^[ \t]*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gm;
const BARE = /^[ \t]*import\s*['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return sourceFiles(rel);
    return e.name.endsWith('.ts') ? [rel] : [];
  });
}

const isTestCode = (file: string): boolean => /(\.test|\/test-support|\/test-fixtures)\.ts$/.test(file);

function packageOf(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function importsOf(file: string, text: string): Edge[] {
  const specs = [STATIC, BARE, DYNAMIC].flatMap((re) => [...text.matchAll(re)].map((m) => m[1]!));
  return specs.map((spec) => ({
    file,
    spec,
    target: spec.startsWith('.') ? path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)) : `pkg:${packageOf(spec)}`,
  }));
}

type Layer = 'domain' | 'config' | 'store' | 'dataplane' | 'service' | 'dialect-kit' | 'dialect' | 'http' | 'cli' | 'root';

function layerOf(file: string): Layer | undefined {
  const parts = file.split('/');
  if (parts.length === 2) return 'root'; // src/server.ts and the like: a composition root
  if (parts[1] === 'dialects') return parts[2] === 'shared' ? 'dialect-kit' : 'dialect';
  const layers: Record<string, Layer> = {
    domain: 'domain',
    config: 'config',
    store: 'store',
    dataplane: 'dataplane',
    service: 'service',
    http: 'http',
    cli: 'cli',
  };
  return layers[parts[1]!];
}

// The http layer's request helpers a dialect's fastify plugin uses: raw body bytes (signatures
// cover them), the per-key rate limiter, and the log line for an unexpected error.
const HTTP_HELPERS = ['src/http/raw-body.ts', 'src/http/rate-limit.ts', 'src/http/logging.ts'];

interface Rule {
  says: string;
  /** src/ paths (a folder ends in '/') this layer may import besides its own folder. */
  may: string[];
  /** Packages allowed; undefined: any package but those in `never`. */
  packages?: string[];
  neverPackages?: string[];
}

const NOT_HTTP = ['fastify'];

const RULES: Record<Layer, Rule> = {
  domain: {
    says: 'the domain imports nothing outside the domain but pure libraries',
    may: [],
    packages: ['ipaddr.js', 'node:crypto', 'node:net'],
  },
  config: { says: 'config imports only the domain', may: ['src/domain/'], neverPackages: NOT_HTTP },
  store: { says: 'the store imports only the domain and config', may: ['src/domain/', 'src/config/'], neverPackages: NOT_HTTP },
  dataplane: {
    says: 'the data plane imports the domain, the store interface (reconciler) and config (driver choice)',
    may: ['src/domain/', 'src/store/store.ts', 'src/config/config.ts'],
    neverPackages: NOT_HTTP,
  },
  service: {
    says: 'a service imports the domain and the store and data-plane interfaces, never a store or driver',
    may: ['src/domain/', 'src/store/store.ts', 'src/dataplane/driver.ts'],
    neverPackages: NOT_HTTP,
  },
  'dialect-kit': {
    says: 'the dialect kit (dialects/shared) imports service, domain and http request helpers, never a dialect',
    may: ['src/service/', 'src/domain/', ...HTTP_HELPERS],
  },
  dialect: {
    says: 'a dialect imports service, domain, dialects/shared and http request helpers, never the store, the data plane or another dialect',
    may: ['src/service/', 'src/domain/', 'src/dialects/shared/', ...HTTP_HELPERS],
  },
  http: {
    says: 'http imports config, domain, service and the dialects it mounts, never the store, the data plane or the cli',
    may: ['src/config/', 'src/domain/', 'src/service/', 'src/dialects/', 'src/*.ts'],
  },
  cli: {
    says: "the cli imports config, domain, service, the store, the composition root and the AK/SK canonicalizer, never a dialect's internals",
    may: ['src/config/', 'src/domain/', 'src/service/', 'src/store/', 'src/*.ts', 'src/dialects/shared/aksk-canonical.ts'],
  },
  root: {
    says: 'the composition root builds everything but the cli',
    may: ['src/config/', 'src/domain/', 'src/service/', 'src/store/', 'src/dataplane/', 'src/dialects/', 'src/http/', 'src/*.ts'],
  },
};

/**
 * Imports that break a rule today, each with why and what removes it. An entry that no longer
 * matches anything is reported as a diagnostic (debt paid: delete the entry), not a failure, so
 * that branches merged in any order do not break this test.
 */
const DEBT: { file: string; target: string; why: string }[] = [];

function allowedBy(may: string[], target: string): boolean {
  return may.some((m) => {
    if (m === 'src/*.ts') return target.split('/').length === 2 && target.startsWith('src/');
    return m.endsWith('/') ? target.startsWith(m) : target === m;
  });
}

/** The folder a file's own imports may always reach: its layer's, or its own dialect's. */
function ownFolder(file: string, layer: Layer): string {
  const parts = file.split('/');
  if (layer === 'dialect' || layer === 'dialect-kit') return parts.slice(0, 3).join('/') + '/';
  if (layer === 'root') return '\0';
  return parts.slice(0, 2).join('/') + '/';
}

/** Why the import breaks a rule, or undefined when it keeps them all. */
function breach(edge: Edge): string | undefined {
  if (isTestCode(edge.target) && !isTestCode(edge.file)) return 'production code never imports a test helper';
  const layer = layerOf(edge.file);
  if (!layer) return `${edge.file} is in no layer of docs/ARCHITECTURE.md`;
  const rule = RULES[layer];
  if (edge.target.startsWith('pkg:')) {
    const pkg = edge.target.slice(4);
    if (rule.packages && !rule.packages.includes(pkg)) return rule.says;
    if (rule.neverPackages?.includes(pkg)) return rule.says;
    return undefined;
  }
  if (edge.target.startsWith(ownFolder(edge.file, layer))) return undefined;
  return allowedBy(rule.may, edge.target) ? undefined : rule.says;
}

const EDGES: Edge[] = sourceFiles('src')
  .filter((f) => !isTestCode(f))
  .flatMap((f) => importsOf(f, readFileSync(path.join(ROOT, f), 'utf8')));

const isDebt = (e: Edge): boolean => DEBT.some((d) => d.file === e.file && d.target === e.target);

function breachesOf(layers: Layer[]): string[] {
  return EDGES.filter((e) => layers.some((l) => l === layerOf(e.file)))
    .filter((e) => !isDebt(e))
    .flatMap((e) => {
      const why = breach(e);
      return why ? [`${e.file}: import '${e.spec}' -> ${why}`] : [];
    });
}

describe('import layering (docs/ARCHITECTURE.md)', () => {
  it('reads the imports of every source file, including multi-line and type-only ones', () => {
    const plugin = EDGES.filter((e) => e.file === 'src/dialects/huawei-vpn/plugin.ts').map((e) => e.target);
    assert.ok(plugin.includes('src/dialects/shared/aksk-pre-handler.ts'), plugin.join(', '));
    assert.ok(plugin.includes('pkg:fastify'), plugin.join(', '));
    assert.ok(EDGES.length > 500, `only ${EDGES.length} imports found`);
    const multi = importsOf(
      'src/x/a.ts',
      "import {\n  a,\n  type B,\n} from '../y/b.ts';\nexport * from './c.ts';\n// import z from '../no.ts';\n",
    );
    assert.deepEqual(
      multi.map((e) => e.target),
      ['src/y/b.ts', 'src/x/c.ts'],
    );
  });

  it('names the rule a dialect importing another dialect breaks', () => {
    const edge = {
      file: 'src/dialects/sitevpn-ext/plugin.ts',
      spec: '../huawei-vpn/errors.ts',
      target: 'src/dialects/huawei-vpn/errors.ts',
    };
    assert.equal(breach(edge), RULES.dialect.says);
    assert.equal(breach({ ...edge, target: 'src/dialects/shared/json-errors.ts' }), undefined);
    assert.equal(breach({ file: 'src/service/x.ts', spec: '', target: 'src/dataplane/strongswan/driver.ts' }), RULES.service.says);
    assert.equal(breach({ file: 'src/domain/x.ts', spec: 'fastify', target: 'pkg:fastify' }), RULES.domain.says);
  });

  it('puts every source file in a layer', () => {
    assert.deepEqual(
      EDGES.filter((e) => !layerOf(e.file)).map((e) => e.file),
      [],
    );
  });

  const groups: [string, Layer[]][] = [
    ['keeps the domain free of every other layer and of impure libraries', ['domain']],
    ['keeps config and the store below the service', ['config', 'store']],
    ['keeps the data plane away from services, dialects and http', ['dataplane']],
    ['keeps services on the store and data-plane interfaces, never on a store or a driver', ['service']],
    ['keeps every dialect and the dialect kit off the store, the data plane and each other', ['dialect', 'dialect-kit']],
    ['keeps http, the cli and the composition root to their rules', ['http', 'cli', 'root']],
  ];
  for (const [sentence, layers] of groups) {
    it(sentence, () => {
      assert.deepEqual(breachesOf(layers), []);
    });
  }

  it('lists as debt only imports that break a rule', (t) => {
    for (const d of DEBT) {
      const edge = EDGES.find((e) => e.file === d.file && e.target === d.target);
      if (!edge) t.diagnostic(`debt paid, delete its entry: ${d.file} -> ${d.target}`);
      else assert.ok(breach(edge), `${d.file} -> ${d.target} keeps the rules: it is not debt`);
    }
  });
});
