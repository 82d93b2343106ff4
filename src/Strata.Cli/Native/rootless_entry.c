/*
 * Rootless start-up for the Native AOT strata (issue 15), in the spirit of podman's
 * pkg/rootless constructor: it runs before the .NET runtime exists, while the process is still
 * single-threaded, which is the only time unshare(CLONE_NEWUSER) is allowed.
 *
 * A non-root strata forks. The child unshares a user and a mount namespace; the parent, still
 * outside, maps the child's ids with newuidmap and newgidmap (run at the same time), then tells
 * the child to go on. The child becomes root inside, makes its mounts private and returns from
 * here into the .NET runtime: the command runs there, started once. The parent stays outside as
 * a small shim, as the .NET outer process of the re-exec path did: it passes SIGTERM, SIGHUP and
 * SIGQUIT on, answers the child's questions about the host (who owns the store root, seen from
 * outside), runs `strata exec` again in a running container's namespaces when asked (nsenter),
 * and ends with the child's exit code (128 + N for signal N).
 *
 * Anything unusual (no newuidmap, no subordinate ranges, unshare refused, a map refused, the
 * variable STRATA_ROOTLESS_REEXEC=1) leaves the process as it was: managed code then takes the
 * re-exec path (RootlessEntry.RunInsideAsync), which says exactly what is missing or warns.
 * The JIT build has no constructor and always takes that path.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_ARGS 64

static const char *const search_dirs[] = { "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin" };

static volatile pid_t forward_to;

static int find_tool(const char *name, char *out, size_t size)
{
    for (size_t i = 0; i < sizeof search_dirs / sizeof search_dirs[0]; i++) {
        snprintf(out, size, "%s/%s", search_dirs[i], name);
        if (access(out, F_OK) == 0) return 1;
    }
    return 0;
}

/* Appends "inside host count" triples for the user's lines of /etc/subuid or /etc/subgid (by name
 * or id, as SubordinateIds.Read and shadow's newuidmap match them) to args; returns how many ranges. */
static int read_ranges(const char *file, const char *name, unsigned long id, char buf[][24], int *used, const char **args, int *argc)
{
    FILE *f = fopen(file, "re");
    if (!f) return 0;
    char line[512], idtext[24];
    snprintf(idtext, sizeof idtext, "%lu", id);
    unsigned long next = 1;
    int ranges = 0;
    while (fgets(line, sizeof line, f)) {
        char *save = NULL, *owner = strtok_r(line, ":\n", &save), *first = strtok_r(NULL, ":\n", &save), *count = strtok_r(NULL, ":\n", &save);
        if (!owner || !first || !count || strtok_r(NULL, ":\n", &save)) continue;
        if (strcmp(owner, name) != 0 && strcmp(owner, idtext) != 0) continue;
        char *end1, *end2;
        unsigned long a = strtoul(first, &end1, 10), n = strtoul(count, &end2, 10);
        if (*end1 || *end2 || n == 0 || *used + 3 > MAX_ARGS || *argc + 3 >= MAX_ARGS) continue;
        snprintf(buf[*used], 24, "%lu", next);
        snprintf(buf[*used + 1], 24, "%lu", a);
        snprintf(buf[*used + 2], 24, "%lu", n);
        args[(*argc)++] = buf[*used]; args[(*argc)++] = buf[*used + 1]; args[(*argc)++] = buf[*used + 2];
        *used += 3;
        next += n;
        ranges++;
    }
    fclose(f);
    return ranges;
}

static pid_t spawn_quiet(const char *path, const char **argv)
{
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (null >= 0) { dup2(null, 1); dup2(null, 2); }
        execv(path, (char *const *)argv);
        _exit(127);
    }
    return pid;
}

static int wait_ok(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return 0;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void forward(int signal)
{
    if (forward_to > 0) kill(forward_to, signal);
}

/* Ctrl-C at a terminal reaches the whole process group: the child decides, the shim waits. A
 * handler, not SIG_IGN, so that the exec'd nsenter does not inherit an ignored SIGINT. */
static void ignore(int signal)
{
    (void)signal;
}

static ssize_t read_line(int fd, char *buf, size_t size)
{
    size_t n = 0;
    while (n + 1 < size) {
        ssize_t r = read(fd, buf + n, 1);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return n > 0 ? (ssize_t)n : -1;
        if (buf[n] == '\n') break;
        n++;
    }
    buf[n] = 0;
    return (ssize_t)n;
}

/* The parent after the child is mapped: serve its requests until it closes the pipe, wait for it,
 * then join a container's namespaces if it asked to, else end with its exit code. */
static void shim(pid_t child, int requests, int replies, int argc, char **argv, unsigned long uid)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_flags = SA_RESTART;
    sa.sa_handler = forward;
    forward_to = child;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGQUIT, &sa, NULL);
    sa.sa_handler = ignore;
    sigaction(SIGINT, &sa, NULL);

    char line[4096 + 2];
    long join = 0;
    for (;;) {
        if (read_line(requests, line, sizeof line) < 0) break;
        if (line[0] == 'S') {
            /* Who owns this path seen from outside, where root's files are not the overflow id. */
            struct stat st;
            char reply[32];
            int len = lstat(line + 1, &st) == 0 ? snprintf(reply, sizeof reply, "%lu\n", (unsigned long)st.st_uid) : snprintf(reply, sizeof reply, "-\n");
            if (write(replies, reply, (size_t)len) != len) break;
        } else if (line[0] == 'J') {
            join = strtol(line + 1, NULL, 10);
        }
    }
    close(requests);
    close(replies);
    int status = 0;
    while (waitpid(child, &status, 0) < 0)
        if (errno != EINTR) _exit(1);
    forward_to = 0;
    if (join > 0) {
        char nsenter[256], target[24], self[4096], uidtext[24];
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        if (n > 0 && find_tool("nsenter", nsenter, sizeof nsenter)) {
            self[n] = 0;
            snprintf(target, sizeof target, "%ld", join);
            snprintf(uidtext, sizeof uidtext, "%lu", uid);
            setenv("STRATA_ROOTLESS_UID", uidtext, 1);
            const char *args[MAX_ARGS + 8];
            int a = 0;
            args[a++] = nsenter; args[a++] = "--target"; args[a++] = target; args[a++] = "--user"; args[a++] = "--mount"; args[a++] = "--"; args[a++] = self;
            for (int i = 1; i < argc && a < MAX_ARGS + 7; i++) args[a++] = argv[i];
            args[a] = NULL;
            execv(nsenter, (char *const *)args);
        }
        dprintf(2, "Error: could not run nsenter to join the container's namespaces\n");
        _exit(1);
    }
    _exit(WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status));
}

__attribute__((constructor)) static void strata_rootless_entry(int argc, char **argv, char **envp)
{
    (void)envp;
    uid_t uid = geteuid();
    gid_t gid = getegid();
    if (uid == 0) return;
    const char *inside = getenv("STRATA_ROOTLESS_UID"), *reexec = getenv("STRATA_ROOTLESS_REEXEC");
    if ((inside && *inside) || (reexec && strcmp(reexec, "1") == 0)) return;
    if (argc > MAX_ARGS - 8) return;

    char unshare_path[256], newuidmap[256], newgidmap[256];
    if (!find_tool("unshare", unshare_path, sizeof unshare_path) || !find_tool("newuidmap", newuidmap, sizeof newuidmap)
        || !find_tool("newgidmap", newgidmap, sizeof newgidmap)) return;
    struct passwd *pw = getpwuid(uid);
    if (!pw || !pw->pw_name) return;
    char name[256];
    snprintf(name, sizeof name, "%s", pw->pw_name);

    /* newuidmap PID 0 UID 1 1 FIRST COUNT ...: the user as root, its ranges from 1 on (UserNamespacePlan). */
    static char uidbuf[MAX_ARGS][24], gidbuf[MAX_ARGS][24];
    const char *uidargs[MAX_ARGS + 1], *gidargs[MAX_ARGS + 1];
    int uidused = 3, gidused = 3, uidc = 5, gidc = 5;
    snprintf(uidbuf[1], 24, "%lu", (unsigned long)uid);
    snprintf(gidbuf[1], 24, "%lu", (unsigned long)gid);
    uidargs[0] = newuidmap; uidargs[2] = "0"; uidargs[3] = uidbuf[1]; uidargs[4] = "1";
    gidargs[0] = newgidmap; gidargs[2] = "0"; gidargs[3] = gidbuf[1]; gidargs[4] = "1";
    if (read_ranges("/etc/subuid", name, uid, uidbuf, &uidused, uidargs, &uidc) == 0
        || read_ranges("/etc/subgid", name, gid, gidbuf, &gidused, gidargs, &gidc) == 0) return;
    uidargs[uidc] = NULL;
    gidargs[gidc] = NULL;

    int up[2], down[2], requests[2], replies[2];
    if (pipe2(up, O_CLOEXEC) < 0) return;
    if (pipe2(down, O_CLOEXEC) < 0) { close(up[0]); close(up[1]); return; }
    if (pipe2(requests, O_CLOEXEC) < 0 || pipe2(replies, O_CLOEXEC) < 0) { close(up[0]); close(up[1]); close(down[0]); close(down[1]); return; }
    pid_t child = fork();
    if (child < 0) return;
    if (child == 0) {
        close(up[0]); close(down[1]); close(requests[0]); close(replies[1]);
        char ok = unshare(CLONE_NEWUSER | CLONE_NEWNS) == 0 ? 1 : 0;
        if (write(up[1], &ok, 1) != 1 || !ok) _exit(1);
        char go = 0;
        while (read(down[0], &go, 1) < 0 && errno == EINTR) { }
        if (go != 1) _exit(1);
        close(up[1]); close(down[0]);
        if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0 || mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
            /* Mapped already, so no fallback is left: say why in one line, as unshare would. */
            dprintf(2, "Error: could not enter a user namespace: %s\n", strerror(errno));
            _exit(1);
        }
        char uidtext[24], channel[48];
        snprintf(uidtext, sizeof uidtext, "%lu", (unsigned long)uid);
        snprintf(channel, sizeof channel, "%d,%d", requests[1], replies[0]);
        setenv("STRATA_ROOTLESS_UID", uidtext, 1);
        setenv("STRATA_ROOTLESS_OUTER", channel, 1);
        return; /* into the .NET runtime, as root of the new namespace */
    }

    close(up[1]); close(down[0]); close(requests[1]); close(replies[0]);
    char ok = 0, go = 0;
    while (read(up[0], &ok, 1) < 0 && errno == EINTR) { }
    close(up[0]);
    if (ok == 1) {
        char pidtext[24];
        snprintf(pidtext, sizeof pidtext, "%ld", (long)child);
        uidargs[1] = pidtext;
        gidargs[1] = pidtext;
        pid_t u = spawn_quiet(newuidmap, uidargs), g = spawn_quiet(newgidmap, gidargs);
        int uok = u > 0 && wait_ok(u), gok = g > 0 && wait_ok(g);
        go = uok && gok ? 1 : 0;
    }
    while (write(down[1], &go, 1) < 0 && errno == EINTR) { }
    close(down[1]);
    if (go == 1) shim(child, requests[0], replies[1], argc, argv, uid);

    /* The namespace could not be made: reap the child and let managed code take the re-exec path. */
    close(requests[0]); close(replies[1]);
    int status;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) { }
}
