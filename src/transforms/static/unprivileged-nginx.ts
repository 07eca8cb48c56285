/** The official nginx image's user, which msb's runtime runs as. */
const nginxUser = "101:101";

/** Directives whose defaults (compiled into the official image) lie in /var/cache/nginx. */
const tempPaths = ["client_body_temp_path", "proxy_temp_path", "fastcgi_temp_path", "uwsgi_temp_path", "scgi_temp_path"];

/**
 * What a project's own nginx.conf needs to run as the nginx user rather than root. nginx writes its
 * pid file and creates its temp directories at start: the defaults (/var/run/nginx.pid,
 * /var/cache/nginx/*_temp) belong to root, so it stops with "Permission denied". A missing pid
 * directive is given on the command line (`-g "pid /tmp/nginx.pid;"`, which nginx.conf must not
 * repeat); a pid file elsewhere, and the default temp directories, are handed to the nginx user.
 */
export function unprivilegedNginx(config: string): { options: string[]; setup: string[]; defaults: string[]; how: string } {
  const text = config.replace(/#.*$/gm, "");
  const pid = /(?:^|[;}])\s*pid\s+["']?([^;"'\s]+)["']?\s*;/m.exec(text)?.[1];
  const options: string[] = [];
  const setup: string[] = [];
  const defaults: string[] = [];
  const how: string[] = [];
  if (pid === undefined) {
    options.push("pid /tmp/nginx.pid;");
    defaults.push("pid file");
    how.push("the command line moves the pid file to /tmp");
  } else if (!/^\/(tmp|var\/tmp)\//.test(pid)) {
    // the official image has /var/run and /run, not a directory of its own there (Alpine's package's /run/nginx)
    const directory = pid.replace(/\/[^/]*$/, "") || "/";
    setup.push(`RUN ${/^\/(var\/)?run$|^\/$/.test(directory) ? "" : `mkdir -p ${directory} && `}touch ${pid} && chown ${nginxUser} ${pid}`);
    defaults.push(`pid file ${pid}`);
    how.push(`${pid} is created owned by it`);
  }
  if (!tempPaths.every((directive) => new RegExp(`(?:^|[{;])\\s*${directive}\\s`, "m").test(text))) {
    setup.push(`RUN chown -R ${nginxUser} /var/cache/nginx`);
    defaults.push("temp directories");
    how.push("/var/cache/nginx is handed to it");
  }
  return { options, setup, defaults, how: how.join(", ") };
}
