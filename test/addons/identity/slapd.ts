// A throwaway OpenLDAP server for the tests: Debian's slapd, configured from a generated cn=config
// in a temp dir (no system path is written), loaded with slapadd, listening on a free loopback
// port, stopped by the test. Two directories: an OpenLDAP-shaped one (inetOrgPerson,
// groupOfNames) and an Active Directory-shaped one on OpenLDAP's own copy of the AD schema
// (/etc/ldap/schema/msuser.ldif: user, computer, group, sAMAccountName, userPrincipalName,
// userAccountControl).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SLAPD = '/usr/sbin/slapd';
export const SCHEMA_DIR = '/etc/ldap/schema';
/** The bind account Dex would use, and the password the test gives it. */
export const BIND = { dn: 'cn=dex,ou=services,dc=example,dc=com', password: 'bind-secret' };
export const AD_BIND = { dn: 'CN=svc-dex,OU=Service Accounts,DC=corp,DC=example', password: 'ad-bind-secret' };

export interface Slapd {
  readonly url: string;
  stop(): Promise<void>;
}

/** Whether slapd and ldapsearch are installed (.ci/run installs Debian's slapd and ldap-utils). */
export function haveSlapd(): boolean {
  return existsSync(SLAPD) && existsSync('/usr/bin/ldapsearch') && existsSync(join(SCHEMA_DIR, 'msuser.ldif'));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, deadline: number): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`slapd exited with ${child.exitCode}`);
    const up = await new Promise<boolean>((resolve) => {
      const c = createConnection({ port, host: '127.0.0.1' }, () => { c.end(); resolve(true); });
      c.once('error', () => resolve(false));
    });
    if (up) return;
    if (Date.now() > deadline) throw new Error('slapd did not start listening in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * msuser.ldif gives sAMAccountName and userPrincipalName no equality rule, so an equality filter
 * on them never matches; Active Directory compares both case-insensitively. The copy the test
 * loads adds that rule (caseIgnoreMatch) and changes nothing else.
 */
function adSchema(): string {
  let text = readFileSync(join(SCHEMA_DIR, 'msuser.ldif'), 'utf8');
  for (const name of ['sAMAccountName', 'userPrincipalName']) {
    const before = `NAME '${name}'\n  SYNTAX`;
    if (!text.includes(before)) throw new Error(`msuser.ldif: no plain definition of ${name}`);
    text = text.replace(before, `NAME '${name}'\n  EQUALITY caseIgnoreMatch\n  SYNTAX`);
  }
  return text;
}

function config(dir: string): string {
  const db = (n: number, suffix: string, data: string, bindDn: string) => `
dn: olcDatabase={${n}}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {${n}}mdb
olcSuffix: ${suffix}
olcRootDN: cn=root,${suffix}
olcRootPW: root-secret-${n}
olcDbDirectory: ${data}
olcDbMaxSize: 16777216
olcAccess: {0}to attrs=userPassword by anonymous auth by * none
olcAccess: {1}to * by dn.exact="${bindDn}" read by self read by * none
`;
  mkdirSync(join(dir, 'data1'));
  mkdirSync(join(dir, 'data2'));
  return `dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: ${dir}/slapd.pid
olcArgsFile: ${dir}/slapd.args

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: /usr/lib/ldap
olcModuleLoad: back_mdb

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file://${SCHEMA_DIR}/core.ldif
include: file://${SCHEMA_DIR}/cosine.ldif
include: file://${SCHEMA_DIR}/inetorgperson.ldif
include: file://${SCHEMA_DIR}/nis.ldif
include: file://${dir}/msuser.ldif

# AD's auxiliary class that carries sAMAccountName (not in msuser.ldif), with AD's own OID.
dn: cn=securityprincipal,cn=schema,cn=config
objectClass: olcSchemaConfig
cn: securityprincipal
olcObjectClasses: ( 1.2.840.113556.1.5.6 NAME 'securityPrincipal' SUP top AUXILIARY MAY ( sAMAccountName ) )

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcAccess: to * by * none
${db(1, 'dc=example,dc=com', join(dir, 'data1'), BIND.dn)}${db(2, 'DC=corp,DC=example', join(dir, 'data2'), AD_BIND.dn)}`;
}

/** Starts slapd with the two directories loaded (`ldif` per suffix index 1 and 2). */
export async function startSlapd(openLdapTree: string, adTree: string): Promise<Slapd> {
  if (!haveSlapd()) throw new Error('slapd, ldapsearch or the msuser schema is missing: apt-get install slapd ldap-utils (as .ci/run does)');
  const dir = mkdtempSync(join(tmpdir(), 'slapd-'));
  const conf = join(dir, 'slapd.d');
  mkdirSync(conf);
  writeFileSync(join(dir, 'config.ldif'), config(dir));
  writeFileSync(join(dir, 'msuser.ldif'), adSchema());
  writeFileSync(join(dir, 'tree1.ldif'), openLdapTree);
  writeFileSync(join(dir, 'tree2.ldif'), adTree);
  const run = (args: string[]) => execFileSync('/usr/sbin/slapadd', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  run(['-n', '0', '-F', conf, '-l', join(dir, 'config.ldif')]);
  run(['-n', '1', '-F', conf, '-l', join(dir, 'tree1.ldif')]);
  run(['-n', '2', '-F', conf, '-l', join(dir, 'tree2.ldif')]);
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  // -d 0: stay in the foreground (so the test owns the process) without debug output.
  const child = spawn(SLAPD, ['-d', '0', '-h', `${url}/`, '-F', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  try {
    await waitForPort(port, child, Date.now() + 15000);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${(e as Error).message}\n${stderr}`);
  }
  return {
    url,
    stop: () => new Promise<void>((resolve) => {
      child.once('exit', () => { rmSync(dir, { recursive: true, force: true }); resolve(); });
      child.kill('SIGTERM');
    }),
  };
}

/** One entry of an ldapsearch result: its DN and attributes (names as the server returns them). */
export interface LdapEntry {
  readonly dn: string;
  readonly attributes: Readonly<Record<string, readonly string[]>>;
}

/** Parses `ldapsearch -LLL -o ldif-wrap=no` output. */
export function parseLdif(text: string): LdapEntry[] {
  const entries: LdapEntry[] = [];
  for (const block of text.split(/\n\s*\n/).map((b) => b.trim()).filter((b) => b !== '')) {
    let dn = '';
    const attributes: Record<string, string[]> = {};
    for (const line of block.split('\n')) {
      const m = /^([^:]+)(::?) ?(.*)$/.exec(line);
      if (m === null) continue;
      const [, name = '', sep, raw = ''] = m;
      const value = sep === '::' ? Buffer.from(raw, 'base64').toString('utf8') : raw;
      if (name === 'dn') dn = value;
      else (attributes[name] ??= []).push(value);
    }
    entries.push({ dn, attributes });
  }
  return entries;
}

/** A search the server refused; `resultCode` is the LDAP result code (ldapsearch exits with it: 32 is noSuchObject). */
export class LdapSearchError extends Error {
  public constructor(public readonly resultCode: number, message: string) {
    super(message);
  }
}

/** Runs one search with ldapsearch, bound as `bind`. */
export function ldapsearch(url: string, bind: { dn: string; password: string }, req: { baseDN: string; scope: string; filter: string; attributes: readonly string[] }): LdapEntry[] {
  try {
    const out = execFileSync('/usr/bin/ldapsearch', [
      '-x', '-LLL', '-o', 'ldif-wrap=no', '-H', url, '-D', bind.dn, '-w', bind.password,
      '-b', req.baseDN, '-s', req.scope, req.filter, ...req.attributes,
    ], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return parseLdif(out);
  } catch (e) {
    const err = e as { status?: number; stderr?: string };
    throw new LdapSearchError(err.status ?? -1, (err.stderr ?? String(e)).trim());
  }
}

/** Whether `dn` can bind with `password` (what Dex does to check a user's password). */
export function canBind(url: string, dn: string, password: string): boolean {
  try {
    execFileSync('/usr/bin/ldapwhoami', ['-x', '-H', url, '-D', dn, '-w', password], { stdio: ['ignore', 'pipe', 'pipe'] });
    return true;
  } catch {
    return false;
  }
}
