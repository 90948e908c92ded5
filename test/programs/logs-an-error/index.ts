// A program that reports its own error through Pulumi's log: a real deployment fails on it.
import * as pulumi from "@pulumi/pulumi";

pulumi.log.error("config is broken: netguard:addressPool is missing");
