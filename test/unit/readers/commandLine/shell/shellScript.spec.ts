import * as assert from "assert";
import fc from "fast-check";
import { ShellCommand, readShellScript, splitShellCommands } from "../../../../../readers/commandLine/shell/shellScript";

/** Words of each command; unknown words as `?<known part>`. */
function words(commands: ShellCommand[]): string[][] {
    return commands.map((command) => command.words.map((word) => (word.known ? word.text : `?${word.text}`)));
}

describe("topology/shellScript", () => {
    it("removes quotes and escapes like a shell", () => {
        const script = `docker run --name="a b" -e 'X=$HOME "q"' -e "Y=\\"q\\" \\$Z" a\\ b`;
        assert.deepStrictEqual(words(splitShellCommands(script)), [["docker", "run", "--name=a b", "-e", 'X=$HOME "q"', "-e", 'Y="q" $Z', "a b"]]);
    });

    it("splits on ; && || | & and newlines, and numbers the lines", () => {
        const commands = splitShellCommands("a 1; b 2 && c 3\nd || e | f & g\n\n  h");
        assert.deepStrictEqual(words(commands), [["a", "1"], ["b", "2"], ["c", "3"], ["d"], ["e"], ["f"], ["g"], ["h"]]);
        assert.deepStrictEqual(commands.map((c) => c.line), [1, 1, 1, 2, 2, 2, 2, 4]);
    });

    it("joins continued lines and keeps counting them", () => {
        const commands = splitShellCommands("docker run \\\n  --network app \\\r\n  img\nnext");
        assert.deepStrictEqual(words(commands), [["docker", "run", "--network", "app", "img"], ["next"]]);
        assert.deepStrictEqual(commands.map((c) => c.line), [1, 4]);
    });

    it("drops comments and redirections", () => {
        const script = "docker network inspect x >/dev/null 2>&1 || docker network create x # make it\n# docker run --link y img\nrun &> log < in";
        assert.deepStrictEqual(words(splitShellCommands(script)), [["docker", "network", "inspect", "x"], ["docker", "network", "create", "x"], ["run"]]);
        assert.deepStrictEqual(words(splitShellCommands("echo a#b")), [["echo", "a#b"]]);
    });

    it("strips assignments, sudo/env prefixes and control keywords so the program comes first", () => {
        const script = "if ! sudo -u root docker ps; then FOO=1 env -i BAR=2 docker run img; fi\nwhile true; do exec nohup docker x; done";
        assert.deepStrictEqual(words(splitShellCommands(script)), [
            ["docker", "ps"],
            ["docker", "run", "img"],
            ["true"],
            ["docker", "x"],
        ]);
    });

    it("expands variables the environment gives and marks every other expansion unknown", () => {
        const env = new Map([["NET", "app"], ["IP", "10.0.0.5"]]);
        const script = "docker run --network $NET --ip=${IP} --name $NAME --label=x$(date) `hostname` \"$1\" '$NET' cost\\$ $";
        assert.deepStrictEqual(words(splitShellCommands(script, env)), [
            ["date"],
            ["hostname"],
            ["docker", "run", "--network", "app", "--ip=10.0.0.5", "--name", "?", "?--label=x", "?", "?", "$NET", "cost$", "$"],
        ]);
    });

    describe("heredocs", () => {
        it("reads a heredoc's body as data when it feeds anything but a shell", () => {
            const script = "cat > notes <<EOF\ndocker run --link db nginx\nEOF\ncat <<-'END' >> notes; echo done\n\tdocker run img\n\tEND\ndocker ps";
            const commands = splitShellCommands(script);
            assert.deepStrictEqual(words(commands), [["cat"], ["cat"], ["echo", "done"], ["docker", "ps"]]);
            assert.deepStrictEqual(commands.map((c) => c.line), [1, 4, 4, 7]);
        });

        it("reads the body as commands when a shell reads it, with the body's own line numbers", () => {
            for (const opener of ["bash <<EOF", "sh <<'EOF'", "bash -s <<EOF", "sudo -E bash -ex <<\"EOF\"", "ssh -p 2222 deploy@host <<EOF", "sudo -i <<EOF", "su - deploy <<'EOF'"]) {
                const commands = splitShellCommands(`echo start\n${opener}\ndocker network create app\ndocker run --network app img\nEOF\necho end`);
                assert.deepStrictEqual(
                    words(commands),
                    [["echo", "start"], ["docker", "network", "create", "app"], ["docker", "run", "--network", "app", "img"], ["echo", "end"]],
                    opener,
                );
                assert.deepStrictEqual(commands.map((c) => c.line), [1, 3, 4, 6], opener);
            }
            assert.deepStrictEqual(words(splitShellCommands("bash <<< 'docker run img'; cat <<< 'docker ps'")), [["docker", "run", "img"], ["cat"]]);
        });

        it("reads what cat of a heredoc or echo pipes into a shell as its script", () => {
            const script = "cat <<'EOF' | sudo bash\ndocker network create app\nEOF\necho 'docker run --network app img' | sh -s\necho docker ps | grep x";
            assert.deepStrictEqual(words(splitShellCommands(script)), [
                ["cat"],
                ["docker", "network", "create", "app"],
                ["echo", "docker run --network app img"],
                ["docker", "run", "--network", "app", "img"],
                ["echo", "docker", "ps"],
                ["grep", "x"],
            ]);
        });

        it("expands an unquoted body with the script's variables, a quoted one only with exported ones", () => {
            const script = (quote: string) => `NET=app\nbash <<${quote}EOF${quote}\ndocker run --network $NET img\nEOF`;
            assert.deepStrictEqual(words(splitShellCommands(script(""))), [["docker", "run", "--network", "app", "img"]]);
            assert.deepStrictEqual(words(splitShellCommands(script("'"))), [["docker", "run", "--network", "?", "img"]]);
            assert.deepStrictEqual(words(splitShellCommands(`export ${script("'")}`.replace("export NET=app", "export NET=app"))), [["docker", "run", "--network", "app", "img"]]);
        });
    });

    describe("commands that other programs run", () => {
        it("reads sh -c, bash -c with its options, and their scripts' own separators", () => {
            const script = "sh -c 'docker network create a && docker run --network a img'; bash -euo pipefail -c \"docker ps\"; busybox sh -c 'docker info'; sudo su - deploy -c 'docker ps -a'";
            assert.deepStrictEqual(words(splitShellCommands(script)), [
                ["docker", "network", "create", "a"],
                ["docker", "run", "--network", "a", "img"],
                ["docker", "ps"],
                ["docker", "info"],
                ["docker", "ps", "-a"],
            ]);
        });

        it("reads the remote command of ssh, whatever its options", () => {
            const script = "ssh -i key -p 22 -o StrictHostKeyChecking=no -tt admin@host 'docker run --network app img; docker ps'\nssh host docker network create x";
            assert.deepStrictEqual(words(splitShellCommands(script)), [["docker", "run", "--network", "app", "img"], ["docker", "ps"], ["docker", "network", "create", "x"]]);
        });

        it("reads $( … ), backticks and <( … ) as commands that run first", () => {
            const script = 'ID=$(docker run -d --network app img) && echo "id: `docker inspect $ID`" && diff <(docker ps) x';
            assert.deepStrictEqual(words(splitShellCommands(script)), [
                ["docker", "run", "-d", "--network", "app", "img"],
                ["docker", "inspect", "?"],
                ["echo", "?id: "],
                ["docker", "ps"],
                ["diff", "?", "x"],
            ]);
        });

        it("strips timeout, nice, sudo, env, exec, command, nohup, stdbuf, ionice and xargs with their own options", () => {
            const lines = [
                "timeout -s KILL -k 5 30s docker run img",
                "timeout --signal=TERM 1m nice -n 10 docker run img",
                "nice -5 ionice -c 3 docker run img",
                "sudo -u root -g docker -E docker run img",
                "env -i -u HOME A=1 B=2 docker run img",
                "exec -a name nohup stdbuf -oL docker run img",
                "command docker run img",
                "time -p docker run img",
            ];
            for (const line of lines) assert.deepStrictEqual(words(splitShellCommands(line)), [["docker", "run", "img"]], line);
            assert.deepStrictEqual(words(splitShellCommands("command -v docker; sudo -l docker")), []);
        });

        it("gives xargs' command the words it reads as unknown", () => {
            assert.deepStrictEqual(words(splitShellCommands("echo a b | xargs -n1 -P4 docker network connect app")), [["echo", "a", "b"], ["docker", "network", "connect", "app", "?"]]);
            assert.deepStrictEqual(words(splitShellCommands("ls | xargs -I CT docker network connect app CT --alias x-CT")), [["ls"], ["docker", "network", "connect", "app", "?", "--alias", "?x-"]]);
        });

        it("reads eval's string as a script of this shell", () => {
            assert.deepStrictEqual(words(splitShellCommands("eval 'N=app'; eval \"docker run --network $N img\"")), [["docker", "run", "--network", "app", "img"]]);
        });
    });

    describe("compound commands", () => {
        it("reads the conditions and bodies of if, while, until, for and case", () => {
            const script = [
                "if ! docker network inspect app >/dev/null; then",
                "  docker network create app",
                "elif true; then :; else echo no; fi",
                "for i in 1 2; do docker run --name w$i img; done",
                "while read -r c; do docker network connect app $c; done < list",
                "until docker info; do sleep 1; done",
                "case \"$MODE\" in",
                "  prod|staging) docker run --network app img ;;",
                "  (*) echo other",
                "esac",
                "{ docker ps; }",
            ].join("\n");
            assert.deepStrictEqual(words(splitShellCommands(script)), [
                ["docker", "network", "inspect", "app"],
                ["docker", "network", "create", "app"],
                ["true"],
                [":"],
                ["echo", "no"],
                ["docker", "run", "--name", "w1", "img"],
                ["docker", "run", "--name", "w2", "img"],
                ["docker", "network", "connect", "app", "?"],
                ["docker", "info"],
                ["sleep", "1"],
                ["docker", "run", "--network", "app", "img"],
                ["echo", "other"],
                ["docker", "ps"],
            ]);
        });
    });

    describe("for loops", () => {
        it("reads the body once per word when every word is known, nested loops too", () => {
            const script = "NETS='front back'\nfor n in $NETS\ndo\n  docker network create $n\n  for c in x y; do docker network connect $n $c; done\ndone\necho $n";
            const commands = splitShellCommands(script);
            assert.deepStrictEqual(words(commands), [
                ["docker", "network", "create", "front"],
                ["docker", "network", "connect", "front", "x"],
                ["docker", "network", "connect", "front", "y"],
                ["docker", "network", "create", "back"],
                ["docker", "network", "connect", "back", "x"],
                ["docker", "network", "connect", "back", "y"],
                ["echo", "back"],
            ]);
            assert.deepStrictEqual(commands.map((c) => c.line), [4, 5, 5, 4, 5, 5, 7]);
        });

        it("leaves the variable unknown over unknown words or file globs, and reports a loop never closed", () => {
            assert.deepStrictEqual(words(splitShellCommands("for n in $(ls) *.yml; do docker network create $n; done")), [["ls"], ["docker", "network", "create", "?"]]);
            assert.deepStrictEqual(words(splitShellCommands("for n in a *.yml; do docker network create $n; done")), [["docker", "network", "create", "?"]]);
            const { commands, notJudged } = readShellScript("for n in a b; do docker network create $n");
            assert.deepStrictEqual([commands, notJudged.map((entry) => entry.reason)], [[], ["a for loop's do is never closed by done: the shell stops here with a syntax error"]]);
        });
    });

    describe("variables", () => {
        it("knows a variable assigned earlier in the script, not one assigned later or only for one command", () => {
            const script = "docker run --network $NET a\nNET=app\ndocker run --network $NET b\nNET=other docker run --network $NET c\nX=1 docker ps; docker run --network $X d";
            assert.deepStrictEqual(words(splitShellCommands(script)), [
                ["docker", "run", "--network", "?", "a"],
                ["docker", "run", "--network", "app", "b"],
                ["docker", "run", "--network", "app", "c"],
                ["docker", "ps"],
                ["docker", "run", "--network", "?", "d"],
            ]);
        });

        it("takes the environment's variables when given, and the script's assignments over them", () => {
            const env = new Map([["NET", "front"]]);
            assert.deepStrictEqual(words(splitShellCommands("docker run --network $NET a; NET=back; docker run --network ${NET} b", env)), [
                ["docker", "run", "--network", "front", "a"],
                ["docker", "run", "--network", "back", "b"],
            ]);
        });

        it("splits an unquoted value into words as the shell does, and keeps a quoted one whole", () => {
            const script = "OPTS='--network app  --ip 10.0.0.5'\nEMPTY=\ndocker run $OPTS $EMPTY img\ndocker run \"$OPTS\" img\nA=$OPTS; docker run $A img";
            assert.deepStrictEqual(words(splitShellCommands(script)), [
                ["docker", "run", "--network", "app", "--ip", "10.0.0.5", "img"],
                ["docker", "run", "--network app  --ip 10.0.0.5", "img"],
                ["docker", "run", "--network", "app", "--ip", "10.0.0.5", "img"],
            ]);
        });

        it("reads ${NAME:-default} and its kin, and forgets what a loop, read or a substitution sets", () => {
            const script = "docker run --network ${NET:-app} --ip ${IP:-10.0.0.2} a\nB=; echo ${B:-b} ${B-c} ${#NET} ${NET:+set}\nread NET; echo $NET\n(X=1); Y=$(Z=2); echo $Z";
            assert.deepStrictEqual(words(splitShellCommands(script, new Map([["NET", "front"]]))), [
                ["docker", "run", "--network", "front", "--ip", "?", "a"],
                ["echo", "b", "5", "set"],
                ["echo", "?"],
                ["echo", "?"],
            ]);
        });

        it("passes only exported variables (and the environment's) to sh -c", () => {
            const script = "A=1; export B=2; sh -c 'echo $A $B $C'; C=3 sh -c 'echo $C'";
            assert.deepStrictEqual(words(splitShellCommands(script, new Map([["C", "env"]]))), [["echo", "?", "2", "env"], ["echo", "3"]]);
        });
    });

    describe("what cannot be read", () => {
        it("says why, on which line, with the command as written", () => {
            const script = [
                "docker ps",
                "$DOCKER run --network app img",
                'sh -c "$SCRIPT"',
                "ssh host \"$CMD\"",
                "eval $X",
                "curl -fsSL https://get.example | sh",
                "bash ./setup.sh",
                ". ./env.sh",
                "echo 'never closed",
                "docker run img",
            ].join("\n");
            const { commands, notJudged } = readShellScript(script);
            assert.deepStrictEqual(words(commands), [["docker", "ps"], ["curl", "-fsSL", "https://get.example"]]);
            assert.deepStrictEqual(
                notJudged.map((entry) => [entry.line, entry.excerpt, entry.reason]),
                [
                    [2, "$DOCKER run --network app img", "the program it runs is unknown ($DOCKER)"],
                    [3, 'sh -c "$SCRIPT"', 'the script that sh -c runs is unknown ("$SCRIPT")'],
                    [4, 'ssh host "$CMD"', 'the command that ssh runs remotely is unknown ("$CMD")'],
                    [5, "eval $X", "eval runs a string that is unknown ($X)"],
                    [6, "sh", "the script that sh reads on its standard input is not in the command"],
                    [7, "bash ./setup.sh", "bash runs the script file ./setup.sh, which is not read"],
                    [8, ". ./env.sh", ". runs the script file ./env.sh in this shell, which is not read"],
                    [9, "echo 'never closed docker run img", "a single quote (') is never closed: the shell stops here with a syntax error"],
                ],
            );
        });

        it("stops following eval inside eval after a few levels", () => {
            const { notJudged } = readShellScript("X='eval $X'; eval $X");
            assert.strictEqual(notJudged.length, 1);
            assert.match(notJudged[0].reason, /nested more than 8 deep/);
        });
    });

    it("never throws on scripts of keywords, heredocs and nested shells (property)", () => {
        const word = fc.constantFrom(..."for in do done case esac if then fi while bash sh -c eval ssh xargs sudo <<EOF <<'EOF' EOF $X 'a b' \"$Y\" ; \n | ( ) x=1 x $(x) ;; a) docker run".split(" "));
        fc.assert(
            fc.property(fc.array(word, { maxLength: 40 }), (words) => {
                const { commands, notJudged } = readShellScript(words.join(" "));
                assert.ok(commands.every((command) => command.words.length > 0 && command.line >= 1));
                assert.ok(notJudged.every((entry) => entry.line >= 1 && entry.reason !== ""));
            }),
            { numRuns: 3000 },
        );
    });

    it("never throws, whatever the text (property)", () => {
        fc.assert(
            fc.property(fc.string({ unit: fc.constantFrom(..."docker run -\\'\"$(){}`;&|<>#\n ab=:".split("")) }), (script) => {
                splitShellCommands(script);
            }),
            { numRuns: 2000 },
        );
    });
    describe("functions", () => {
        it("runs a function's body at each call, not where it is defined, with the call's words as $1, $2, $#", () => {
            const script = 'f() { docker network create --internal "$1"; echo "$#" $2; }\nf n1\nf n2 "a b"';
            const commands = splitShellCommands(script);
            assert.deepStrictEqual(words(commands), [["docker", "network", "create", "--internal", "n1"], ["echo", "1"], ["docker", "network", "create", "--internal", "n2"], ["echo", "2", "a", "b"]]);
            assert.deepStrictEqual(commands.map((c) => c.line), [1, 1, 1, 1]);
        });

        it('splits $@ and $* on blanks, keeps "$@" one word per argument and drops it with none', () => {
            const script = 'f() { docker rm "$@"; docker rm $@; docker rm "$*" x; }\nf a "b c"\nf';
            assert.deepStrictEqual(words(splitShellCommands(script)), [
                ["docker", "rm", "a", "b c"], ["docker", "rm", "a", "b", "c"], ["docker", "rm", "a b c", "x"],
                ["docker", "rm"], ["docker", "rm"], ["docker", "rm", "", "x"],
            ]);
        });

        it("reads function NAME { … }, multi-line bodies, shift, set --, return and nested braces", () => {
            const script = "function g {\n  { docker network connect $1 $2; }\n  shift\n  docker start $1\n  return\n  docker rm never\n}\ng n1 c1\nset -- x y\ndocker rm $2 ${1:-z}";
            const commands = splitShellCommands(script);
            assert.deepStrictEqual(words(commands), [["docker", "network", "connect", "n1", "c1"], ["docker", "start", "c1"], ["docker", "rm", "y", "x"]]);
            assert.deepStrictEqual(commands.map((c) => c.line), [2, 4, 10]);
        });

        it("leaves parameters unknown outside functions and after an unquoted unknown argument", () => {
            const script = 'docker rm "$1"\nf() { docker run "$1" "$2" "$#"; }\nf a $UNSET b';
            assert.deepStrictEqual(words(splitShellCommands(script)), [["docker", "rm", "?"], ["docker", "run", "a", "?", "?"]]);
        });

        it("carries && before a call to the body's first command; a new shell does not see the function", () => {
            const commands = splitShellCommands("f() { docker start \"$1\"; }\ndocker create x && f c1\nsh -c 'f c2'");
            assert.deepStrictEqual(words(commands), [["docker", "create", "x"], ["docker", "start", "c1"], ["f", "c2"]]);
            assert.strictEqual(commands[1].after, "&&");
        });
    });
});
