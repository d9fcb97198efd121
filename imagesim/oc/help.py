"""Help texts of the emulated ``oc`` commands."""

from __future__ import annotations

__all__ = ["overview", "usage"]

_COMMANDS = {
    "apply": ("Apply a configuration to a resource by file name or stdin",
              "oc apply -f FILENAME [options]",
              ["# Apply the image stream in stream.yaml", "oc apply -f stream.yaml"]),
    "create": ("Create a resource from a file or from stdin", "oc create -f FILENAME [options]",
               ["# Create an image stream from a YAML file", "oc create -f stream.yaml"]),
    "delete": ("Delete resources by file names, stdin, resources and names, or by resources and label selector",
               "oc delete (TYPE [NAME...] | TYPE/NAME) [options]",
               ["# Delete an image stream", "oc delete is/mongodb",
                "# Delete one tag and its history", "oc delete istag/mongodb:2.4"]),
    "describe": ("Show details of a specific resource or group of resources",
                 "oc describe (TYPE [NAME] | TYPE/NAME) [options]",
                 ["# Describe an image stream", "oc describe is/mongodb -n openshift",
                  "# Describe the image a tag points at", "oc describe istag/mongodb:3.2 -n openshift"]),
    "get": ("Display one or many resources", "oc get [(-o|--output=)json|yaml|name|wide] (TYPE [NAME ...] | TYPE/NAME ...) [options]",
            ["# List the image streams of the openshift namespace", "oc get is -n openshift",
             "# List image stream tags with their digests", "oc get istag -o wide",
             "# Print an image stream as the API returns it", "oc get is/mongodb -n openshift -o yaml",
             "# Pods with their nodes, and the pods a service sends traffic to", "oc get pods -o wide",
             "oc get endpoints",
             "# The nodes, and the images each node has pulled", "oc get nodes", "oc get node worker-0 -o yaml"]),
    "import-image": ("Import images from a container image registry",
                     "oc import-image IMAGESTREAM[:TAG] [flags] [options]",
                     ["# Import tag latest into a new image stream", "oc import-image mystream --from=registry.io/repo/image:latest --confirm",
                      "# Re-import the source of an existing tag", "oc import-image mystream:mytag",
                      "# Import and re-import every hour", "oc import-image mystream --from=registry.io/repo/image:latest --confirm --scheduled"]),
    "scale": ("Set a new size for a deployment, replica set, or replication controller",
              "oc scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]",
              ["# Scale a deployment config named 'web' to 3", "oc scale --replicas=3 dc/web"]),
    "logs": ("Print the logs for a container in a pod",
             "oc logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]",
             ["# The logs of the latest deployment of dc/web", "oc logs dc/web",
              "# The logs of a pod", "oc logs web-1-abcde"]),
    "tag": ("Tag existing images into image streams",
            "oc tag [--source=SOURCETYPE] SOURCE DEST [DEST ...] [flags] [options]",
            ["# Tag the current image of ruby:latest as ruby:tip", "oc tag openshift/ruby:latest yourproject/ruby:tip",
             "# Make ruby:tip track ruby:latest", "oc tag --alias=true openshift/ruby:latest openshift/ruby:tip",
             "# Tag an external container image, re-imported every 15 minutes", "oc tag --source=docker openshift/origin-control-plane:latest yourproject/ruby:tip --scheduled",
             "# Remove a tag", "oc tag -d yourproject/ruby:tip"]),
    "project": ("Switch to another project", "oc project [NAME] [options]",
                ["# Switch to the openshift project", "oc project openshift", "# Show the current project", "oc project"]),
    "projects": ("Display existing projects", "oc projects [options]", ["oc projects"]),
    "new-project": ("Request a new project", "oc new-project NAME [--display-name=DISPLAYNAME] [--description=DESCRIPTION] [options]",
                    ["oc new-project web-team-dev"]),
    "whoami": ("Return information about the current session", "oc whoami [options]", ["oc whoami"]),
    "login": ("Log in to a server", "oc login [URL] [options]", ["oc login -u developer"]),
    "logout": ("End the current server session", "oc logout [options]", ["oc logout"]),
    "adm": ("Tools for managing a cluster",
            "oc adm prune images [flags] [options]\n  oc adm cordon|uncordon NODE\n  oc adm drain NODE [--force]",
            ["# See what pruning would remove", "oc adm prune images --keep-tag-revisions=3 --keep-younger-than=60m",
             "# Remove it", "oc adm prune images --keep-tag-revisions=3 --keep-younger-than=60m --confirm",
             "# Take a node out of service: no new pods, its pods move to the other nodes", "oc adm drain worker-0",
             "# Put it back", "oc adm uncordon worker-0"]),
}


def overview() -> str:
    lines = ["OpenShift Client (imagesim emulator)", "",
             "This client runs against a simulated cluster: image streams, registries and a clock.", "",
             "Commands:"]
    width = max(len(name) for name in _COMMANDS)
    for name in sorted(_COMMANDS):
        lines.append(f"  {name.ljust(width)}  {_COMMANDS[name][0]}")
    lines += ["", "Use \"oc <command> --help\" for more information about a given command."]
    return "\n".join(lines) + "\n"


def usage(command: str) -> str:
    summary, use, examples = _COMMANDS.get(command, (
        f"The oc {command} command of the simulated cluster", f"oc {command} [flags] [options]",
        ["# List the commands", "oc help"]))
    lines = [summary + ".", "", "Examples:"]
    for line in examples:
        lines.append(f"  {line}")
    lines += ["", "Usage:", f"  {use}", ""]
    return "\n".join(lines)
