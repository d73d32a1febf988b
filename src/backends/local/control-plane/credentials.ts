import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { ControlPlaneError } from './errors.ts';

/** Files and secrets the control plane's processes share; all paths are inside `dir`. */
export interface Credentials {
  caPem: string;
  caPath: string;
  /** Serving certificate for 127.0.0.1 and localhost, signed by the CA; used by every component. */
  servingCertPath: string;
  servingKeyPath: string;
  serviceAccountPublicKeyPath: string;
  serviceAccountPrivateKeyPath: string;
  token: string;
  tokenFilePath: string;
}

/** The user behind the bearer token; system:masters makes it cluster-admin without any RBAC binding. */
export const ADMIN_USER = 'statuschaos-admin';

const OPENSSL_CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = statuschaos local control plane
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[serving]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,clientAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
authorityKeyIdentifier = keyid
`;

/** Creates a throwaway CA, a serving certificate for 127.0.0.1 (openssl), a service-account key pair (node:crypto) and an admin token. */
export async function createCredentials(dir: string): Promise<Credentials> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = (name: string) => join(dir, name);
  await writeFile(path('openssl.cnf'), OPENSSL_CONFIG);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const openssl = async (args: string[]) => {
    try {
      await execa('openssl', args, { cwd: dir });
    } catch (error) {
      const reason = (error as { code?: string }).code === 'ENOENT' ? 'openssl is not installed (apt-get install openssl)' : (error as Error).message;
      throw new ControlPlaneError(`could not create the control plane's certificates: ${reason}`, { cause: error });
    }
  };
  await openssl(['req', '-x509', '-new', ...ec, '-config', 'openssl.cnf', '-extensions', 'ca', '-days', '7', '-keyout', 'ca.key', '-out', 'ca.crt']);
  await openssl(['req', '-new', ...ec, '-config', 'openssl.cnf', '-keyout', 'serving.key', '-out', 'serving.csr']);
  await openssl([
    'x509', '-req', '-in', 'serving.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', `0x${randomBytes(8).toString('hex')}`,
    '-days', '7', '-extfile', 'openssl.cnf', '-extensions', 'serving', '-out', 'serving.crt',
  ]);

  const serviceAccount = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  await writeFile(path('sa.key'), serviceAccount.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  await writeFile(path('sa.pub'), serviceAccount.publicKey.export({ type: 'spki', format: 'pem' }));

  const token = randomBytes(32).toString('hex');
  // Static token file: token,user,uid,"group,..."
  await writeFile(path('tokens.csv'), `${token},${ADMIN_USER},${ADMIN_USER},"system:masters"\n`, { mode: 0o600 });

  return {
    caPem: await readFile(path('ca.crt'), 'utf8'),
    caPath: path('ca.crt'),
    servingCertPath: path('serving.crt'),
    servingKeyPath: path('serving.key'),
    serviceAccountPublicKeyPath: path('sa.pub'),
    serviceAccountPrivateKeyPath: path('sa.key'),
    token,
    tokenFilePath: path('tokens.csv'),
  };
}
