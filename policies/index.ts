// The docker-netguard CrossGuard pack: `pulumi preview --policy-pack ./policies`.
// Constructing the PolicyPack starts the analyzer's gRPC server, so nothing else lives here.
import { PolicyPack } from "@pulumi/policy";
import { trackAnalyzerSecrets } from "./analyzerProps";
import { PACK_NAME, policies } from "./pack";

// Policies judge secrets' values (the analyzer unwraps them) but print `[secret]` in their place.
trackAnalyzerSecrets();
new PolicyPack(PACK_NAME, { policies });
