"""The classic default image streams of the ``openshift`` namespace, as plain data.

Contents: :data:`OPENSHIFT_STREAMS`, the ImageStream manifests (``image.openshift.io/v1`` dicts,
spec only) that the default teaching world creates in the ``openshift`` namespace, and
:data:`PINNED_DIGESTS`, the upstream pull specs whose digest a scenario must not compute.

Sources (facts only, the files themselves are not part of the project):

- jenkins, mariadb, mongodb, mysql, nodejs, perl, php, postgresql, python, ruby and wildfly are the
  ``spec.tags`` of a real OpenShift 3.x cluster's ``openshift`` namespace (March 2017): same tag
  names, ``from`` kinds and pull specs, and annotations.
- dotnet, httpd, nginx and redis did not exist there; they take a few tags of today's
  ``openshift/origin`` ``examples/image-streams/image-streams-centos7.json``, with its quirks fixed
  (no duplicate tag, ``latest`` tracks a tag of the same stream) and only the annotations the 3.x
  streams use (no ``openshift.io/provider-display-name``, ``sampleRef``, ``sampleContextDir``).

Every tag has ``referencePolicy: {"type": "Source"}`` (the API default; today's samples use
``Local``) and an empty ``importPolicy``. There is no ``status``, ``generation``, ``uid``,
``resourceVersion``, ``selfLink`` or ``creationTimestamp``: the simulator fills those in. Tags are
sorted by name, as the API serializes them. Annotation values (descriptions included) are kept
verbatim, slips and all. Treat the data as read-only; deep-copy it before changing it.

This module imports nothing (only ``__future__``).
"""

from __future__ import annotations

__all__ = ["OPENSHIFT_STREAMS", "PINNED_DIGESTS"]

_NAMESPACE = "openshift"

#: Tail of a ``latest`` description in the 3.x streams (and dotnet); "{}" is the product name.
_WARNING = (
    "\n\nWARNING: By selecting this tag, your application will automatically update to use the "
    "latest version of {} available on OpenShift, including major versions updates."
)
#: The same tail as most of today's sample streams word it ("major version updates").
_WARNING_SAMPLES = _WARNING.replace("major versions updates", "major version updates")


def _annotations(
    display_name: str,
    description: str,
    icon: str,
    tags: str,
    version: str | None,
    sample_repo: str | None,
    supports: str | None,
) -> dict[str, str]:
    # Keys in sorted order, the order in which the API serializes a map.
    annotations = {
        "description": description,
        "iconClass": icon,
        "openshift.io/display-name": display_name,
    }
    if sample_repo is not None:
        annotations["sampleRepo"] = sample_repo
    if supports is not None:
        annotations["supports"] = supports
    annotations["tags"] = tags
    if version is not None:
        annotations["version"] = version
    return annotations


def _reference(name: str, kind: str, source: str, annotations: dict[str, str]) -> dict[str, object]:
    return {
        "name": name,
        "annotations": annotations,
        "from": {"kind": kind, "name": source},
        "importPolicy": {},
        "referencePolicy": {"type": "Source"},
    }


def _tag(
    name: str,
    image: str,
    display_name: str,
    description: str,
    *,
    icon: str,
    tags: str,
    version: str,
    sample_repo: str | None = None,
    supports: str | None = None,
) -> dict[str, object]:
    """A spec tag that imports the upstream pull spec *image* (``from.kind: DockerImage``)."""
    annotations = _annotations(display_name, description, icon, tags, version, sample_repo,
                               supports)
    return _reference(name, "DockerImage", image, annotations)


def _latest(
    target: str,
    display_name: str,
    description: str,
    *,
    icon: str,
    tags: str,
    sample_repo: str | None = None,
    supports: str | None = None,
) -> dict[str, object]:
    """The ``latest`` spec tag: an alias of tag *target* of the same stream (no ``version``)."""
    annotations = _annotations(display_name, description, icon, tags, None, sample_repo, supports)
    return _reference("latest", "ImageStreamTag", target, annotations)


def _stream(name: str, display_name: str, tags: list[dict[str, object]]) -> dict[str, object]:
    return {
        "apiVersion": "image.openshift.io/v1",
        "kind": "ImageStream",
        "metadata": {
            "name": name,
            "namespace": _NAMESPACE,
            "annotations": {"openshift.io/display-name": display_name},
        },
        "spec": {
            "lookupPolicy": {"local": False},
            "tags": sorted(tags, key=lambda tag: str(tag["name"])),
        },
    }


def _dotnet() -> dict[str, object]:
    common = {
        "icon": "icon-dotnet",
        "sample_repo": "https://github.com/redhat-developer/s2i-dotnetcore-ex",
    }
    return _stream("dotnet", ".NET", [
        _tag("3.1-ubi8", "registry.access.redhat.com/ubi8/dotnet-31:3.1", ".NET Core 3.1 (UBI 8)",
             "Build and run .NET Core 3.1 applications on UBI 8. For more information about using "
             "this builder image, including OpenShift considerations, see "
             "https://github.com/redhat-developer/s2i-dotnetcore/tree/master/3.1/build/README.md.",
             tags="builder,.net,dotnet,dotnetcore,dotnet31", supports="dotnet:3.1,dotnet",
             version="3.1", **common),
        _tag("6.0", "registry.access.redhat.com/ubi8/dotnet-60:6.0", ".NET 6 (UBI 8)",
             "Build and run .NET 6 applications on UBI 8. For more information about using this "
             "builder image, including OpenShift considerations, see "
             "https://github.com/redhat-developer/s2i-dotnetcore/tree/master/6.0/build/README.md.",
             tags="builder,.net,dotnet,dotnetcore,dotnet60,hidden", supports="dotnet:6.0,dotnet",
             version="6.0", **common),
        _tag("6.0-ubi8", "registry.access.redhat.com/ubi8/dotnet-60:6.0", ".NET 6 (UBI 8)",
             "Build and run .NET 6 applications on UBI 8. For more information about using this "
             "builder image, including OpenShift considerations, see "
             "https://github.com/redhat-developer/s2i-dotnetcore/tree/master/6.0/build/README.md.",
             tags="builder,.net,dotnet,dotnetcore,dotnet60", supports="dotnet:6.0,dotnet",
             version="6.0", **common),
        _latest("6.0-ubi8", ".NET (Latest)",
                "Build and run .NET applications. For more information about using this builder "
                "image, including OpenShift considerations, see "
                "https://github.com/redhat-developer/s2i-dotnetcore/tree/master/6.0/build/"
                "README.md." + _WARNING.format(".NET"),
                tags="builder,.net,dotnet,dotnetcore,hidden", supports="dotnet", **common),
    ])


def _httpd() -> dict[str, object]:
    common = {
        "icon": "icon-apache",
        "sample_repo": "https://github.com/sclorg/httpd-ex.git",
        "supports": "httpd",
    }
    return _stream("httpd", "Apache HTTP Server (httpd)", [
        _tag("2.4", "quay.io/centos7/httpd-24-centos7:latest", "Apache HTTP Server 2.4",
             "Build and serve static content via Apache HTTP Server (httpd) 2.4 on CentOS 7. For "
             "more information about using this builder image, including OpenShift "
             "considerations, see "
             "https://github.com/sclorg/httpd-container/blob/master/2.4/README.md.",
             tags="builder,httpd,hidden", version="2.4", **common),
        _tag("2.4-el7", "quay.io/centos7/httpd-24-centos7:latest",
             "Apache HTTP Server 2.4 (CentOS 7)",
             "Build and serve static content via Apache HTTP Server (httpd) 2.4 on CentOS 7. For "
             "more information about using this builder image, including OpenShift "
             "considerations, see "
             "https://github.com/sclorg/httpd-container/blob/master/2.4/README.md.",
             tags="builder,httpd", version="2.4", **common),
        _tag("2.4-ubi8", "registry.access.redhat.com/ubi8/httpd-24:latest",
             "Apache HTTP Server 2.4 (UBI 8)",
             "Build and serve static content via Apache HTTP Server (httpd) 2.4 on RHEL 8. For "
             "more information about using this builder image, including OpenShift "
             "considerations, see "
             "https://github.com/sclorg/httpd-container/blob/master/2.4/README.md.",
             tags="builder,httpd", version="2.4", **common),
        _tag("2.4-ubi9", "registry.access.redhat.com/ubi9/httpd-24:latest",
             "Apache HTTP Server 2.4 (UBI 9)",
             "Build and serve static content via Apache HTTP Server (httpd) 2.4 on UBI 9. For "
             "more information about using this builder image, including OpenShift "
             "considerations, see "
             "https://github.com/sclorg/httpd-container/blob/master/2.4/README.md.",
             tags="builder,httpd", version="2.4", **common),
        _latest("2.4-ubi8", "Apache HTTP Server (Latest)",
                "Build and serve static content via Apache HTTP Server (httpd) on CentOS 7. For "
                "more information about using this builder image, including OpenShift "
                "considerations, see "
                "https://github.com/sclorg/httpd-container/blob/master/2.4/README.md."
                + _WARNING_SAMPLES.format("Httpd"),
                tags="builder,httpd", **common),
    ])


def _jenkins() -> dict[str, object]:
    common = {"icon": "icon-jenkins", "tags": "jenkins"}
    return _stream("jenkins", "Jenkins", [
        _tag("1", "openshift/jenkins-1-centos7:latest", "Jenkins 1.X",
             "Provides a Jenkins 1.X server on CentOS 7. For more information about using this "
             "container image, including OpenShift considerations, see "
             "https://github.com/openshift/jenkins/blob/master/README.md.",
             version="1.x", **common),
        _tag("2", "openshift/jenkins-2-centos7:latest", "Jenkins 2.X",
             "Provides a Jenkins v2.x server on CentOS 7. For more information about using this "
             "container image, including OpenShift considerations, see "
             "https://github.com/openshift/jenkins/blob/master/README.md.",
             version="2.x", **common),
        _latest("2", "Jenkins (Latest)",
                "Provides a Jenkins server on CentOS 7. For more information about using this "
                "container image, including OpenShift considerations, see "
                "https://github.com/openshift/jenkins/blob/master/README.md."
                + _WARNING.format("Jenkins"),
                **common),
    ])


def _mariadb() -> dict[str, object]:
    common = {"icon": "icon-mariadb", "tags": "mariadb"}
    return _stream("mariadb", "MariaDB", [
        _tag("10.1", "centos/mariadb-101-centos7:latest", "MariaDB 10.1",
             "Provides a MariaDB 10.1 database on CentOS 7. For more information about using this "
             "database image, including OpenShift considerations, see "
             "https://github.com/sclorg/mariadb-container/tree/master/10.1/README.md.",
             version="10.1", **common),
        _latest("10.1", "MariaDB (Latest)",
                "Provides a MariaDB database on CentOS 7. For more information about using this "
                "database image, including OpenShift considerations, see "
                "https://github.com/sclorg/mariadb-container/tree/master/10.1/README.md."
                + _WARNING.format("MariaDB"),
                **common),
    ])


def _mongodb() -> dict[str, object]:
    common = {"icon": "icon-mongodb", "tags": "mongodb"}
    return _stream("mongodb", "MongoDB", [
        _tag("2.4", "openshift/mongodb-24-centos7:latest", "MongoDB 2.4",
             "Provides a MongoDB 2.4 database on CentOS 7. For more information about using this "
             "database image, including OpenShift considerations, see "
             "https://github.com/sclorg/mongodb-container/tree/master/2.4/README.md.",
             version="2.4", **common),
        _tag("2.6", "centos/mongodb-26-centos7:latest", "MongoDB 2.6",
             "Provides a MongoDB 2.6 database on CentOS 7. For more information about using this "
             "database image, including OpenShift considerations, see "
             "https://github.com/sclorg/mongodb-container/tree/master/2.6/README.md.",
             version="2.6", **common),
        _tag("3.2", "centos/mongodb-32-centos7:latest", "MongoDB 3.2",
             "Provides a MongoDB 3.2 database on CentOS 7. For more information about using this "
             "database image, including OpenShift considerations, see "
             "https://github.com/sclorg/mongodb-container/tree/master/3.2/README.md.",
             version="3.2", **common),
        _latest("3.2", "MongoDB (Latest)",
                "Provides a MongoDB database on CentOS 7. For more information about using this "
                "database image, including OpenShift considerations, see "
                "https://github.com/sclorg/mongodb-container/tree/master/3.2/README.md."
                + _WARNING.format("MongoDB"),
                **common),
    ])


def _mysql() -> dict[str, object]:
    common = {"icon": "icon-mysql-database", "tags": "mysql"}
    return _stream("mysql", "MySQL", [
        _tag("5.5", "openshift/mysql-55-centos7:latest", "MySQL 5.5",
             "Provides a MySQL 5.5 database on CentOS 7. For more information about using this "
             "database image, including OpenShift considerations, see "
             "https://github.com/sclorg/mysql-container/tree/master/5.5/README.md.",
             version="5.5", **common),
        _tag("5.6", "centos/mysql-56-centos7:latest", "MySQL 5.6",
             "Provides a MySQL 5.6 database on CentOS 7. For more information about using this "
             "database image, including OpenShift considerations, see "
             "https://github.com/sclorg/mysql-container/tree/master/5.6/README.md.",
             version="5.6", **common),
        _latest("5.6", "MySQL (Latest)",
                "Provides a MySQL database on CentOS 7. For more information about using this "
                "database image, including OpenShift considerations, see "
                "https://github.com/sclorg/mysql-container/tree/master/5.6/README.md."
                + _WARNING.format("MySQL"),
                **common),
    ])


def _nginx() -> dict[str, object]:
    common = {
        "icon": "icon-nginx",
        "tags": "builder,nginx",
        "sample_repo": "https://github.com/sclorg/nginx-ex.git",
        "supports": "nginx",
    }
    # Upstream's 1.20-ubi7 (sourced from ubi7/nginx-118, a 1.18 image) is left out.
    return _stream("nginx", "Nginx HTTP server and a reverse proxy (nginx)", [
        _tag("1.18-ubi7", "registry.access.redhat.com/ubi7/nginx-118:latest",
             "Nginx HTTP server and a reverse proxy 1.18 (UBI 7)",
             "Build and serve static content via Nginx HTTP server and a reverse proxy (nginx) on "
             "RHEL 7. For more information about using this builder image, including OpenShift "
             "considerations, see "
             "https://github.com/sclorg/nginx-container/blob/master/1.18/README.md.",
             version="1.18", **common),
        _tag("1.18-ubi8", "registry.access.redhat.com/ubi8/nginx-118:latest",
             "Nginx HTTP server and a reverse proxy 1.18 (UBI 8)",
             "Build and serve static content via Nginx HTTP server and a reverse proxy (nginx) on "
             "RHEL 8. For more information about using this builder image, including OpenShift "
             "considerations, see "
             "https://github.com/sclorg/nginx-container/blob/master/1.18/README.md.",
             version="1.18", **common),
        _tag("1.20-ubi8", "registry.access.redhat.com/ubi8/nginx-120:latest",
             "Nginx HTTP server and a reverse proxy 1.20 (UBI 8)",
             "Build and serve static content via Nginx HTTP server and a reverse proxy (nginx) on "
             "RHEL 8. For more information about using this builder image, including OpenShift "
             "considerations, see "
             "https://github.com/sclorg/nginx-container/blob/master/1.20/README.md.",
             version="1.20", **common),
        _tag("1.20-ubi9", "registry.access.redhat.com/ubi9/nginx-120:latest",
             "Nginx HTTP server and a reverse proxy 1.20 (UBI 9)",
             "Build and serve static content via Nginx HTTP server and a reverse proxy (nginx) on "
             "RHEL 8. For more information about using this builder image, including OpenShift "
             "considerations, see "
             "https://github.com/sclorg/nginx-container/blob/master/1.20/README.md.",
             version="1.20", **common),
        _latest("1.20-ubi8", "Nginx HTTP server and a reverse proxy (Latest)",
                "Build and serve static content via Nginx HTTP Server and a reverse proxy (nginx) "
                "on CentOS. For more information about using this builder image, including "
                "OpenShift considerations, see "
                "https://github.com/sclorg/nginx-container/blob/master/1.20/README.md."
                + _WARNING_SAMPLES.format("Nginx"),
                **common),
    ])


def _nodejs() -> dict[str, object]:
    common = {
        "icon": "icon-nodejs",
        "tags": "builder,nodejs",
        "sample_repo": "https://github.com/openshift/nodejs-ex.git",
    }
    return _stream("nodejs", "Node.js", [
        _tag("0.10", "openshift/nodejs-010-centos7:latest", "Node.js 0.10",
             "Build and run Node.js 0.10 applications on CentOS 7. For more information about "
             "using this builder image, including OpenShift considerations, see "
             "https://github.com/sclorg/s2i-nodejs-container/blob/master/0.10/README.md.",
             supports="nodejs:0.10,nodejs:0.1,nodejs", version="0.10", **common),
        _tag("4", "centos/nodejs-4-centos7:latest", "Node.js 4",
             "Build and run Node.js 4 applications on CentOS 7. For more information about using "
             "this builder image, including OpenShift considerations, see "
             "https://github.com/sclorg/s2i-nodejs-container/blob/master/4/README.md.",
             supports="nodejs:4,nodejs", version="4", **common),
        _latest("4", "Node.js (Latest)",
                "Build and run Node.js applications on CentOS 7. For more information about using "
                "this builder image, including OpenShift considerations, see "
                "https://github.com/sclorg/s2i-nodejs-container/blob/master/4/README.md."
                + _WARNING.format("Node.js"),
                supports="nodejs", **common),
    ])


def _perl() -> dict[str, object]:
    common = {
        "icon": "icon-perl",
        "tags": "builder,perl",
        "sample_repo": "https://github.com/openshift/dancer-ex.git",
    }
    return _stream("perl", "Perl", [
        _tag("5.16", "openshift/perl-516-centos7:latest", "Perl 5.16",
             "Build and run Perl 5.16 applications on CentOS 7. For more information about using "
             "this builder image, including OpenShift considerations, see "
             "https://github.com/sclorg/s2i-perl-container/blob/master/5.16/README.md.",
             supports="perl:5.16,perl", version="5.16", **common),
        _tag("5.20", "centos/perl-520-centos7:latest", "Perl 5.20",
             "Build and run Perl 5.20 applications on CentOS 7. For more information about using "
             "this builder image, including OpenShift considerations, see "
             "https://github.com/sclorg/s2i-perl-container/blob/master/5.20/README.md.",
             supports="perl:5.20,perl", version="5.20", **common),
        _latest("5.20", "Perl (Latest)",
                "Build and run Perl applications on CentOS 7. For more information about using "
                "this builder image, including OpenShift considerations, see "
                "https://github.com/sclorg/s2i-perl-container/blob/master/5.20/README.md."
                + _WARNING.format("Perl"),
                supports="perl", **common),
    ])


def _php() -> dict[str, object]:
    common = {
        "icon": "icon-php",
        "tags": "builder,php",
        "sample_repo": "https://github.com/openshift/cakephp-ex.git",
    }
    return _stream("php", "PHP", [
        _tag("5.5", "openshift/php-55-centos7:latest", "PHP 5.5",
             "Build and run PHP 5.5 applications on CentOS 7. For more information about using "
             "this builder image, including OpenShift considerations, see "
             "https://github.com/sclorg/s2i-php-container/blob/master/5.5/README.md.",
             supports="php:5.5,php", version="5.5", **common),
        _tag("5.6", "centos/php-56-centos7:latest", "PHP 5.6",
             "Build and run PHP 5.6 applications on CentOS 7. For more information about using "
             "this builder image, including OpenShift considerations, see "
             "https://github.com/sclorg/s2i-php-container/blob/master/5.6/README.md.",
             supports="php:5.6,php", version="5.6", **common),
        _latest("5.6", "PHP (Latest)",
                "Build and run PHP applications on CentOS 7. For more information about using "
                "this builder image, including OpenShift considerations, see "
                "https://github.com/sclorg/s2i-php-container/blob/master/5.6/README.md."
                + _WARNING.format("PHP"),
                supports="php", **common),
    ])


def _postgresql() -> dict[str, object]:
    common = {"icon": "icon-postgresql", "tags": "postgresql"}
    return _stream("postgresql", "PostgreSQL", [
        _tag("9.2", "openshift/postgresql-92-centos7:latest", "PostgreSQL 9.2",
             "Provides a PostgreSQL 9.2 database on CentOS 7. For more information about using "
             "this database image, including OpenShift considerations, see "
             "https://github.com/sclorg/postgresql-container/tree/master/9.2.",
             version="9.2", **common),
        _tag("9.4", "centos/postgresql-94-centos7:latest", "PostgreSQL 9.4",
             "Provides a PostgreSQL 9.4 database on CentOS 7. For more information about using "
             "this database image, including OpenShift considerations, see "
             "https://github.com/sclorg/postgresql-container/tree/master/9.4.",
             version="9.4", **common),
        _tag("9.5", "centos/postgresql-95-centos7:latest", "PostgreSQL 9.5",
             "Provides a PostgreSQL 9.5 database on CentOS 7. For more information about using "
             "this database image, including OpenShift considerations, see "
             "https://github.com/sclorg/postgresql-container/tree/master/9.5.",
             version="9.5", **common),
        _latest("9.5", "PostgreSQL (Latest)",
                "Provides a PostgreSQL database on CentOS 7. For more information about using "
                "this database image, including OpenShift considerations, see "
                "https://github.com/sclorg/postgresql-container/tree/master/9.5."
                + _WARNING.format("PostgreSQL"),
                **common),
    ])


def _python() -> dict[str, object]:
    common = {
        "icon": "icon-python",
        "tags": "builder,python",
        "sample_repo": "https://github.com/openshift/django-ex.git",
    }
    return _stream("python", "Python", [
        _tag("2.7", "centos/python-27-centos7:latest", "Python 2.7",
             "Build and run Python 2.7 applications on CentOS 7. For more information about using "
             "this builder image, including OpenShift considerations, see "
             "https://github.com/sclorg/s2i-python-container/blob/master/2.7/README.md.",
             supports="python:2.7,python", version="2.7", **common),
        _tag("3.3", "openshift/python-33-centos7:latest", "Python 3.3",
             "Build and run Python 3.3 applications on CentOS 7. For more information about using "
             "this builder image, including OpenShift considerations, see "
             "https://github.com/sclorg/s2i-python-container/blob/master/3.3/README.md.",
             supports="python:3.3,python", version="3.3", **common),
        _tag("3.4", "centos/python-34-centos7:latest", "Python 3.4",
             "Build and run Python 3.4 applications on CentOS 7. For more information about using "
             "this builder image, including OpenShift considerations, see "
             "https://github.com/sclorg/s2i-python-container/blob/master/3.4/README.md.",
             supports="python:3.4,python", version="3.4", **common),
        _tag("3.5", "centos/python-35-centos7:latest", "Python 3.5",
             "Build and run Python 3.5 applications on CentOS 7. For more information about using "
             "this builder image, including OpenShift considerations, see "
             "https://github.com/sclorg/s2i-python-container/blob/master/3.5/README.md.",
             supports="python:3.5,python", version="3.5", **common),
        _latest("3.5", "Python (Latest)",
                "Build and run Python applications on CentOS 7. For more information about using "
                "this builder image, including OpenShift considerations, see "
                "https://github.com/sclorg/s2i-python-container/blob/master/3.5/README.md."
                + _WARNING.format("Python"),
                supports="python", **common),
    ])


def _redis() -> dict[str, object]:
    common = {"icon": "icon-redis"}
    return _stream("redis", "Redis", [
        _tag("5", "quay.io/centos7/redis-5-centos7:latest", "Redis 5",
             "Provides a Redis 5 database on CentOS 7. For more information about using this "
             "database image, including OpenShift considerations, see "
             "https://github.com/sclorg/redis-container/tree/master/5/README.md.",
             tags="redis,hidden", version="5", **common),
        _tag("5-el7", "quay.io/centos7/redis-5-centos7:latest", "Redis 5 (CentOS 7)",
             "Provides a Redis 5 database on CentOS 7. For more information about using this "
             "database image, including OpenShift considerations, see "
             "https://github.com/sclorg/redis-container/tree/master/5/README.md.",
             tags="redis", version="5", **common),
        # Upstream's latest tracks 5-el8, a tag the stream does not define.
        _latest("5-el7", "Redis (Latest)",
                "Provides a Redis database on CentOS. For more information about using this "
                "database image, including OpenShift considerations, see "
                "https://github.com/sclorg/redis-container/tree/master/5/README.md."
                + _WARNING_SAMPLES.format("Redis"),
                tags="redis", **common),
    ])


def _ruby() -> dict[str, object]:
    common = {
        "icon": "icon-ruby",
        "tags": "builder,ruby",
        "sample_repo": "https://github.com/openshift/ruby-ex.git",
    }
    return _stream("ruby", "Ruby", [
        _tag("2.0", "openshift/ruby-20-centos7:latest", "Ruby 2.0",
             "Build and run Ruby 2.0 applications on CentOS 7. For more information about using "
             "this builder image, including OpenShift considerations, see "
             "https://github.com/sclorg/s2i-ruby-container/tree/master/2.0/README.md.",
             supports="ruby:2.0,ruby", version="2.0", **common),
        _tag("2.2", "centos/ruby-22-centos7:latest", "Ruby 2.2",
             "Build and run Ruby 2.2 applications on CentOS 7. For more information about using "
             "this builder image, including OpenShift considerations, see "
             "https://github.com/sclorg/s2i-ruby-container/tree/master/2.2/README.md.",
             supports="ruby:2.2,ruby", version="2.2", **common),
        _tag("2.3", "centos/ruby-23-centos7:latest", "Ruby 2.3",
             "Build and run Ruby 2.3 applications on CentOS 7. For more information about using "
             "this builder image, including OpenShift considerations, see "
             "https://github.com/sclorg/s2i-ruby-container/blob/master/2.3/README.md.",
             supports="ruby:2.3,ruby", version="2.3", **common),
        _latest("2.3", "Ruby (Latest)",
                "Build and run Ruby applications on CentOS 7. For more information about using "
                "this builder image, including OpenShift considerations, see "
                "https://github.com/sclorg/s2i-ruby-container/tree/master/2.3/README.md."
                + _WARNING.format("Ruby"),
                supports="ruby", **common),
    ])


def _wildfly() -> dict[str, object]:
    common = {
        "icon": "icon-wildfly",
        "tags": "builder,wildfly,java",
        "sample_repo": "https://github.com/bparees/openshift-jee-sample.git",
    }
    return _stream("wildfly", "WildFly", [
        _tag("10.0", "openshift/wildfly-100-centos7:latest", "WildFly 10.0",
             "Build and run WildFly 10.0 applications on CentOS 7. For more information about "
             "using this builder image, including OpenShift considerations, see "
             "https://github.com/openshift-s2i/s2i-wildfly/blob/master/README.md.",
             supports="wildfly:10.0,jee,java", version="10.0", **common),
        _tag("10.1", "openshift/wildfly-101-centos7:latest", "WildFly 10.1",
             "Build and run WildFly 10.1 applications on CentOS 7. For more information about "
             "using this builder image, including OpenShift considerations, see "
             "https://github.com/openshift-s2i/s2i-wildfly/blob/master/README.md.",
             supports="wildfly:10.1,jee,java", version="10.1", **common),
        _tag("8.1", "openshift/wildfly-81-centos7:latest", "WildFly 8.1",
             "Build and run WildFly 8.1 applications on CentOS 7. For more information about "
             "using this builder image, including OpenShift considerations, see "
             "https://github.com/openshift-s2i/s2i-wildfly/blob/master/README.md.",
             supports="wildfly:8.1,jee,java", version="8.1", **common),
        _tag("9.0", "openshift/wildfly-90-centos7:latest", "WildFly 9.0",
             "Build and run WildFly 9.0 applications on CentOS 7. For more information about "
             "using this builder image, including OpenShift considerations, see "
             "https://github.com/openshift-s2i/s2i-wildfly/blob/master/README.md.",
             supports="wildfly:9.0,jee,java", version="9.0", **common),
        _latest("10.1", "WildFly (Latest)",
                "Build and run WildFly applications on CentOS 7. For more information about using "
                "this builder image, including OpenShift considerations, see "
                "https://github.com/openshift-s2i/s2i-wildfly/blob/master/README.md."
                + _WARNING.format("WildFly"),
                supports="jee,java", **common),
    ])


#: The default ``openshift`` namespace streams, sorted by name.
OPENSHIFT_STREAMS: list[dict[str, object]] = [
    _dotnet(),
    _httpd(),
    _jenkins(),
    _mariadb(),
    _mongodb(),
    _mysql(),
    _nginx(),
    _nodejs(),
    _perl(),
    _php(),
    _postgresql(),
    _python(),
    _redis(),
    _ruby(),
    _wildfly(),
]

#: Upstream pull spec (as in ``from.name``) -> the real digest a scenario uses for it instead of one
#: computed from content. Every other image's digest is computed by the simulator.
# The mongodb 3.2 digest is the one the classic lesson shows; the 2017 dump recorded another
# (sha256:b899d2db...) for the same moving ``:latest`` tag.
PINNED_DIGESTS: dict[str, str] = {
    "centos/mongodb-32-centos7:latest": (
        "sha256:d4dc006a25db1423caed1dcf0f253f352dbbe0914c20949a6302ccda55af72b1"
    ),
}
