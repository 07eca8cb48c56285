/**
 * A complete nginx.conf for serving a single-page app as an unprivileged user: pid and temp files in
 * /tmp, errors to stderr (written to the inherited descriptor, nothing is opened), unknown paths fall
 * back to index.html. Access logs are off: opening /dev/stdout as a non-root user fails wherever the
 * engine relays stdio through pipes the user does not own (buildah run does).
 */
export function nginxConfigLines(port: number, serverBlocksFrom?: string): string[] {
  const server = serverBlocksFrom
    ? [`  include ${serverBlocksFrom};`]
    : [
        "  server {",
        `    listen ${port};`,
        "    root /usr/share/nginx/html;",
        "    index index.html;",
        "    location / { try_files $uri $uri/ /index.html; }",
        "  }",
      ];
  return [
    "worker_processes auto;",
    "pid /tmp/nginx.pid;",
    "error_log stderr warn;",
    "events { worker_connections 1024; }",
    "http {",
    "  include /etc/nginx/mime.types;",
    "  default_type application/octet-stream;",
    "  access_log off;",
    "  sendfile on;",
    // static servers node images start (serve, http-server -g) compress; nginx only when told
    ...(serverBlocksFrom ? [] : ["  gzip on;", "  gzip_types text/plain text/css text/javascript application/javascript application/json image/svg+xml;"]),
    "  client_body_temp_path /tmp/client_body;",
    "  proxy_temp_path /tmp/proxy;",
    "  fastcgi_temp_path /tmp/fastcgi;",
    "  uwsgi_temp_path /tmp/uwsgi;",
    "  scgi_temp_path /tmp/scgi;",
    ...server,
    "}",
  ];
}

/** A RUN that writes the config with printf (works on every builder; heredocs need BuildKit). */
export function writeConfigCommand(lines: string[], path: string, escape: string): string {
  const quoted = lines.map((l) => `    '${l.replace(/'/g, "'\\''")}'`);
  return [`RUN printf '%s\\n' ${escape}`, ...quoted.map((q) => `${q} ${escape}`), `    > ${path}`].join("\n");
}
