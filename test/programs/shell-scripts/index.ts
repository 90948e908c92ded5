// Command resources whose scripts a shell reads in ways a line-by-line
// reading gets wrong: a heredoc that is only data, commands that a shell,
// `timeout` and `sudo` run, a variable from the resource's environment, and
// lines that cannot be judged (an unknown program, podman).
import * as command from "@pulumi/command";

// The heredoc is a file's content, not a command: its --link is no violation.
new command.local.Command("notes", {
    create: [
        "cat > NOTES.md <<'EOF'",
        "Never do this: docker run --link db:db nginx",
        "EOF",
        "docker network create --subnet 10.40.1.0/24 --gateway 10.40.1.1 app",
    ].join("\n"),
});

new command.local.Command("nested", {
    environment: { NET: "app" },
    create: [
        "set -e",
        "NAME=web",
        // A shell reads this heredoc: its line runs, with NET from the environment.
        "bash <<'EOF'",
        'docker run -d --name api --network "$NET" nginx',
        "EOF",
        // Runs through timeout and sudo, on the default bridge: a violation.
        "timeout 60 sudo -u root docker run -d --name $NAME nginx",
        "$DOCKER run -d --network app nginx",
        "podman run -d nginx",
    ].join("\n"),
});
