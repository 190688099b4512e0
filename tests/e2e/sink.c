/* sink.c - a receiver for the notification tests: a plain HTTP server that
 * keeps each request, or an SMTP server that keeps each message.
 *
 * Usage: sink http|smtp PORT DIR
 * Each request goes to DIR/NNNN.txt (headers, a blank line, the body), each
 * message to DIR/NNNN.eml, written whole before it is renamed into place.
 * Numbers go on from the files already there, so a receiver restarted on
 * the same directory keeps them all. One connection at a time; it runs
 * until killed. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static unsigned seq;

static void keep(const char *dir, const char *ext, const char *data, size_t len)
{
        char tmp[4096], path[4096];
        FILE *f;

        snprintf(tmp, sizeof(tmp), "%s/.%04u.tmp", dir, seq);
        snprintf(path, sizeof(path), "%s/%04u.%s", dir, seq++, ext);
        if (!(f = fopen(tmp, "w")) || fwrite(data, 1, len, f) != len || fclose(f) != 0 ||
            rename(tmp, path) != 0) {
                perror(path);
                exit(1);
        }
}

/* Reads until the buffer holds needle (or the peer is gone); its length. */
static size_t read_until(int fd, char *buf, size_t size, size_t have, const char *needle)
{
        while (have < size - 1) {
                ssize_t n;

                buf[have] = '\0';
                if (strstr(buf, needle))
                        break;
                n = read(fd, buf + have, size - 1 - have);
                if (n <= 0)
                        break;
                have += (size_t)n;
        }
        buf[have] = '\0';
        return have;
}

static void say(int fd, const char *s)
{
        if (write(fd, s, strlen(s)) < 0)
                return;
}

static void http(int fd, const char *dir)
{
        static char buf[1 << 20];
        size_t have = read_until(fd, buf, sizeof(buf), 0, "\r\n\r\n"), head, want = 0;
        char *end = strstr(buf, "\r\n\r\n"), *cl;

        if (!end)
                return;
        head = (size_t)(end - buf) + 4;
        for (cl = buf; (cl = strchr(cl, '\n')) && cl < end; cl++)
                if (strncasecmp(cl + 1, "Content-Length:", 15) == 0)
                        want = strtoul(cl + 16, NULL, 10);
        while (have < head + want && have < sizeof(buf) - 1) {
                ssize_t n = read(fd, buf + have, sizeof(buf) - 1 - have);

                if (n <= 0)
                        return;
                have += (size_t)n;
        }
        keep(dir, "txt", buf, head + want);
        say(fd, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
}

static void smtp(int fd, const char *dir)
{
        static char buf[1 << 20];
        size_t have = 0;

        say(fd, "220 sink ESMTP\r\n");
        for (;;) {
                char *eol;
                size_t line;

                have = read_until(fd, buf, sizeof(buf), have, "\r\n");
                if (!(eol = strstr(buf, "\r\n")))
                        return;
                line = (size_t)(eol - buf) + 2;
                if (strncasecmp(buf, "DATA", 4) == 0) {
                        char *dot;

                        memmove(buf, buf + line, have - line);
                        have -= line;
                        say(fd, "354 go on\r\n");
                        have = read_until(fd, buf, sizeof(buf), have, "\r\n.\r\n");
                        if (!(dot = strstr(buf, "\r\n.\r\n")))
                                return;
                        keep(dir, "eml", buf, (size_t)(dot - buf) + 2);
                        line = (size_t)(dot - buf) + 5;
                        say(fd, "250 kept\r\n");
                } else if (strncasecmp(buf, "QUIT", 4) == 0) {
                        say(fd, "221 bye\r\n");
                        return;
                } else if (strncasecmp(buf, "EHLO", 4) == 0 || strncasecmp(buf, "HELO", 4) == 0) {
                        say(fd, "250 sink\r\n");
                } else {
                        say(fd, "250 ok\r\n");
                }
                memmove(buf, buf + line, have - line);
                have -= line;
        }
}

int main(int argc, char **argv)
{
        struct sockaddr_in sa = { .sin_family = AF_INET };
        int fd, one = 1;

        if (argc != 4 || (strcmp(argv[1], "http") != 0 && strcmp(argv[1], "smtp") != 0)) {
                fputs("usage: sink http|smtp PORT DIR\n", stderr);
                return 2;
        }
        DIR *d = opendir(argv[3]);
        struct dirent *de;

        while (d && (de = readdir(d)))
                seq += de->d_name[0] != '.';
        if (d)
                closedir(d);
        sa.sin_port = htons((unsigned short)atoi(argv[2]));
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        fd = socket(AF_INET, SOCK_STREAM, 0);
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 16) < 0) {
                perror("sink");
                return 1;
        }
        for (;;) {
                int c = accept(fd, NULL, NULL);

                if (c < 0) {
                        if (errno == EINTR)
                                continue;
                        perror("accept");
                        return 1;
                }
                if (argv[1][0] == 'h')
                        http(c, argv[3]);
                else
                        smtp(c, argv[3]);
                close(c);
        }
}
