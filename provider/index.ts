/**
 * The component provider: what `pulumi package add <this folder>` runs so that
 * Python, Go, C#, YAML (and TypeScript) programs can use netguard's components.
 * The schema is inferred from the classes' constructor args (see ./surface).
 */
import { componentProviderHost } from "@pulumi/pulumi/provider/experimental";
import { providerOptions } from "./surface";

void componentProviderHost(providerOptions(__dirname));
