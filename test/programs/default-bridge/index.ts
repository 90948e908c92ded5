// The tutorial's first step: `docker run -d --name web-01 nginx` and
// `docker run -d --name web-02 nginx`, no network given. Both land on the
// default bridge (one of them by saying so), where they reach each other by
// IP only.
import * as docker from "@pulumi/docker";

new docker.Container("web-01", { name: "web-01", image: "nginx:1.27-alpine" });
new docker.Container("web-02", { name: "web-02", image: "nginx:1.27-alpine", networkMode: "bridge" });
