// The docker-netguard CrossGuard pack: `pulumi preview --policy-pack ./policies`.
// Constructing the PolicyPack starts the analyzer's gRPC server, so nothing else lives here.
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, policies } from "./pack";

new PolicyPack(PACK_NAME, { policies });
