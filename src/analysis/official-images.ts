/**
 * Docker Hub's official images (`library/…`), current and deprecated ones still found in compose files.
 * An image without a namespace that is not among them (`rank-api:2.2.0`) is a local tag, most likely
 * the one this Dockerfile builds.
 */
export const officialImages: ReadonlySet<string> = new Set([
  "adminer", "aerospike", "almalinux", "alpine", "alt", "amazoncorretto", "amazonlinux", "api-firewall", "arangodb",
  "archlinux", "backdrop", "bash", "bonita", "buildpack-deps", "busybox", "caddy", "cassandra", "celery", "centos",
  "chronograf", "cirros", "clearlinux", "clickhouse", "clojure", "composer", "consul", "convertigo", "couchbase",
  "couchdb", "crate", "dart", "debian", "django", "docker", "drupal", "eclipse-mosquitto", "eclipse-temurin",
  "eggdrop", "elasticsearch", "elixir", "emqx", "erlang", "fedora", "flink", "fluentd", "friendica", "gazebo", "gcc",
  "geonetwork", "ghost", "golang", "gradle", "groovy", "haproxy", "haskell", "haxe", "hello-world", "hitch", "httpd",
  "hylang", "ibm-semeru-runtimes", "ibmjava", "influxdb", "iojs", "irssi", "java", "jenkins", "jetty", "joomla",
  "jruby", "julia", "kapacitor", "kibana", "kong", "krakend", "liquibase", "logstash", "mageia", "mariadb", "matomo",
  "maven", "mediawiki", "memcached", "mongo", "mongo-express", "monica", "mono", "mysql", "nats", "nats-streaming",
  "neo4j", "neurodebian", "nextcloud", "nginx", "node", "notary", "odoo", "open-liberty", "openjdk", "oraclelinux",
  "orientdb", "owncloud", "percona", "perl", "photon", "php", "php-zendserver", "phpmyadmin", "piwik", "plone",
  "postfixadmin", "postgres", "pypy", "python", "r-base", "rabbitmq", "rails", "rakudo-star", "redis", "redmine",
  "registry", "rethinkdb", "rocket.chat", "rockylinux", "ruby", "rust", "sapmachine", "satosa", "sentry",
  "silverpeas", "solr", "sonarqube", "spark", "spiped", "storm", "swift", "swipl", "teamspeak", "telegraf", "tomcat",
  "tomee", "traefik", "ubuntu", "unit", "varnish", "vault", "websphere-liberty", "wordpress", "xwiki", "yourls",
  "znc", "zookeeper",
]);
