/* notify_listen.c - stands in for systemd's notify socket in the tests:
 * prints each datagram received on PATH, one per line, until COUNT came or
 * SECONDS passed. Usage: notify_listen PATH COUNT SECONDS */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        int fd, count, ms;

        if (argc != 4 || strlen(argv[1]) >= sizeof(sa.sun_path))
                return 2;
        count = atoi(argv[2]);
        ms = atoi(argv[3]) * 1000;
        strcpy(sa.sun_path, argv[1]);
        fd = socket(AF_UNIX, SOCK_DGRAM, 0);
        unlink(argv[1]);
        if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
                return 2;
        /* Ready to receive. */
        fputs("listening\n", stderr);
        while (count > 0) {
                struct pollfd p = { .fd = fd, .events = POLLIN };
                char buf[4096];
                ssize_t n;

                if (poll(&p, 1, ms) <= 0)
                        return 1;
                n = recv(fd, buf, sizeof(buf) - 1, 0);
                if (n < 0)
                        return 1;
                buf[n] = '\0';
                printf("%s\n", buf);
                fflush(stdout);
                count--;
        }
        return 0;
}
