// Runs in a worker thread (src/users/bcrypt-pool.ts): bcrypt is CPU work that would otherwise
// stop every other request for a quarter of a second per password.
import bcrypt from "bcryptjs";

export function hash({ password, cost }) {
  return bcrypt.hashSync(password, cost);
}

export function compare({ password, hash }) {
  return bcrypt.compareSync(password, hash);
}
