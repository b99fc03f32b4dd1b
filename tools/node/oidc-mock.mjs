// A real OpenID Connect provider for the sign-in tests (oauth2-mock-server), on 127.0.0.1.
//   node oidc-mock.mjs PORT EMAIL_FILE
// Every sign-in is granted at once (no login form) as the address written in EMAIL_FILE at that
// moment, so a test chooses who signs in next by rewriting the file. Prints "ready ISSUER_URL".
import { readFileSync } from 'node:fs';
import { OAuth2Server } from 'oauth2-mock-server';

const [port, emailFile] = process.argv.slice(2);
const server = new OAuth2Server();
await server.issuer.keys.generate('RS256');

const person = () => {
  const email = readFileSync(emailFile, 'utf8').trim();
  return { email, email_verified: true, name: email.split('@')[0], sub: email };
};
server.service.on('beforeTokenSigning', (token) => {
  Object.assign(token.payload, person());
});
server.service.on('beforeUserinfo', (response) => {
  response.body = person();
});

server.issuer.url = `http://127.0.0.1:${port}`;
await server.start(Number(port), '127.0.0.1');
console.log(`ready ${server.issuer.url}`);
const stop = async () => { await server.stop(); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
