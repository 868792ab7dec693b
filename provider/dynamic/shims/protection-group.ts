// The serialized provider of the "protection-group" kind. It is the whole export of this module, so state stores a
// require of this file (see ../provider-shim.ts): never move, rename or remove it.
import { SrmProviderShim } from "../provider-shim.js";

export = new SrmProviderShim("protection-group");
