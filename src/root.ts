import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The project folder: src/.. under tsx, dist/src/../.. when built. */
export const projectRoot = fileURLToPath(
  new URL(existsSync(new URL("../package.json", import.meta.url)) ? "../" : "../../", import.meta.url),
);
