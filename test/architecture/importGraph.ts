import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

/**
 * The import graph of the TypeScript sources, read without building: every specifier a
 * file names (imports, re-exports, require, dynamic import), and separately the ones that
 * survive compilation, from `ts.transpileModule`'s CommonJS output, so type-only imports
 * drop out exactly as they do in dist/.
 */
export const repoRoot = path.resolve(__dirname, '..', '..');

export interface ImportEdge {
  /** Repository-relative path of the importing file. */
  readonly from: string;
  readonly specifier: string;
  /** Repository-relative .ts file, or the package name for a bare specifier. */
  readonly target: string;
  readonly isPackage: boolean;
}

const BUILTINS = new Set(builtinModules);

export function tsFilesUnder(dir: string): string[] {
  const abs = path.join(repoRoot, dir);
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.posix.join(dir, f.split(path.sep).join('/')))
    .sort();
}

/** Every specifier the file names, type-only ones included. */
export function declaredImports(file: string): ImportEdge[] {
  const source = ts.createSourceFile(file, readFileSync(path.join(repoRoot, file), 'utf8'), ts.ScriptTarget.ES2023, true);
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]!)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) specifiers.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges(file, specifiers);
}

/** The specifiers still required once compiled: what loading the file really loads. */
export function runtimeImports(file: string): ImportEdge[] {
  const { outputText } = ts.transpileModule(readFileSync(path.join(repoRoot, file), 'utf8'), {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2023, esModuleInterop: true, isolatedModules: true },
  });
  return edges(file, [...outputText.matchAll(/\brequire\(["']([^"']+)["']\)/g)].map((m) => m[1]!));
}

function edges(from: string, specifiers: readonly string[]): ImportEdge[] {
  const out: ImportEdge[] = [];
  for (const specifier of specifiers) {
    if (specifier.startsWith('node:') || BUILTINS.has(specifier)) continue;
    if (!specifier.startsWith('.')) {
      const parts = specifier.split('/');
      out.push({ from, specifier, target: specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!, isPackage: true });
      continue;
    }
    out.push({ from, specifier, target: resolveRelative(from, specifier), isPackage: false });
  }
  return out;
}

function resolveRelative(from: string, specifier: string): string {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  for (const candidate of [`${base}.ts`, `${base}/index.ts`, base]) {
    const abs = path.join(repoRoot, candidate);
    if (existsSync(abs) && statSync(abs).isFile()) return candidate;
  }
  throw new Error(`${from}: cannot resolve ${specifier}`);
}

/** Files and packages loaded, transitively, when `entry` is required. */
export function loadedBy(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    if (!file.endsWith('.ts')) continue;
    for (const e of runtimeImports(file)) {
      if (e.isPackage) packages.add(e.target);
      else queue.push(e.target);
    }
  }
  return { files, packages };
}
