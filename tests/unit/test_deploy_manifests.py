"""Every kustomize overlay renders, every object in it is valid, and the
manifests agree with the code: one Deployment per Procfile process running the
same command, scaling on the queues the services really consume, secrets only
from Secrets, and only the gateway open to traffic from outside."""

import copy
import os
import re
from pathlib import Path

import pytest

from tests.support.manifests import (
    KUBERNETES,
    ROOT,
    consumed_queues,
    containers,
    named,
    of_kind,
    overlays,
    pod_spec,
    problems,
    procfile,
    render,
    rendered,
)

OVERLAYS = {folder.name: folder for folder in overlays()}
WORKLOADS = ("Deployment", "Job", "CronJob")
SECRET_SETTINGS = re.compile(r"^(AMQP_URI|.*_DATABASE_URL|SMTP_URL|SECRET_KEY)$")
OPERATOR_NAMESPACES = {"keda", "rabbitmq-system", "cnpg-system"}


@pytest.fixture(params=sorted(OVERLAYS), scope="module")
def objects(request) -> tuple[dict, ...]:
    return rendered(OVERLAYS[request.param])


def with_partners(tmp_path: Path) -> list[dict]:
    """Production with the partner-access component, as docs/operations.md adds it."""
    production = os.path.relpath(KUBERNETES / "overlays" / "production", tmp_path)
    partners = os.path.relpath(KUBERNETES / "components" / "partner-access", tmp_path)
    (tmp_path / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        f"resources: [{production}]\ncomponents: [{partners}]\n"
    )
    return render(tmp_path)


def services() -> dict[str, str]:
    """Procfile process name -> the module nameko runs, for the services."""
    return {
        name: command[-1]
        for name, command in procfile().items()
        if command[-1].startswith("services.")
    }


def test_there_is_a_development_and_a_production_overlay():
    assert {"development", "production"} <= set(OVERLAYS)


def test_every_object_of_every_overlay_is_valid(objects):
    found = [problem for item in objects for problem in problems(item)]

    assert found == []


def test_production_with_the_partner_component_is_valid(tmp_path):
    objects = with_partners(tmp_path)

    assert [problem for item in objects for problem in problems(item)] == []
    assert of_kind(objects, "TopicPermission")


def test_a_misspelt_field_is_caught_in_core_and_custom_objects(objects):
    deployment = copy.deepcopy(named(objects, "Deployment", "directory"))
    deployment["spec"]["template"]["spec"]["containers"][0]["livenessprobe"] = {}
    scaled = copy.deepcopy(named(objects, "ScaledObject", "directory"))
    scaled["spec"]["triggers"][0]["metadata"]["queuename"] = "rpc-directory"
    cluster = copy.deepcopy(named(objects, "Cluster", "coprod-postgres"))
    cluster["spec"]["instance"] = 2

    assert problems(deployment) and problems(scaled) and problems(cluster)


def test_every_procfile_process_has_a_deployment_running_its_command(objects):
    for name, command in procfile().items():
        deployment = named(objects, "Deployment", name)
        assert containers(deployment, init=False)[0]["command"] == command


def test_every_image_is_pinned_and_the_platform_image_is_set_by_the_overlay(objects):
    for workload in [o for o in objects if o["kind"] in WORKLOADS]:
        for container in containers(workload):
            image = container["image"]
            assert re.search(r"(:[\w.-]+|@sha256:[0-9a-f]{64})$", image), image
            assert not image.endswith(":latest"), image
            assert image != "coprod-platform", "the overlay must name the image"
    for kind in ("RabbitmqCluster",):
        assert re.search(r":\d+\.\d+\.\d+", of_kind(objects, kind)[0]["spec"]["image"])
    assert re.search(r":\d+\.\d+$", of_kind(objects, "Cluster")[0]["spec"]["imageName"])


def test_every_container_has_resources_and_long_running_ones_have_probes(objects):
    for workload in [o for o in objects if o["kind"] in WORKLOADS]:
        for container in containers(workload):
            resources = container["resources"]
            assert {"cpu", "memory"} <= set(resources["requests"]), container["name"]
            assert "memory" in resources["limits"], container["name"]
        if workload["kind"] == "Deployment":
            main = containers(workload, init=False)[0]
            assert {"readinessProbe", "livenessProbe"} <= set(main), main["name"]


def test_services_probe_their_own_broker_connection(objects):
    for name in services():
        main = containers(named(objects, "Deployment", name), init=False)[0]
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            assert main[probe]["exec"]["command"] == [
                "python",
                "deploy/probe.py",
                "amqp",
            ]


def test_each_deployment_is_scaled_by_exactly_one_autoscaler(objects):
    targets = [
        o["spec"]["scaleTargetRef"]["name"] for o in of_kind(objects, "ScaledObject")
    ]
    targets += [
        o["spec"]["scaleTargetRef"]["name"]
        for o in of_kind(objects, "HorizontalPodAutoscaler")
    ]

    assert sorted(targets) == sorted(procfile())
    assert {
        h["spec"]["scaleTargetRef"]["name"]
        for h in of_kind(objects, "HorizontalPodAutoscaler")
    } == {"gateway"}


def test_each_service_scales_on_the_depth_of_exactly_the_queues_it_consumes(objects):
    consumed = {name: consumed_queues(module) for name, module in services().items()}
    every_queue = set().union(*consumed.values())
    parked = {f"parked.{queue}" for queue in every_queue}

    for name, queues in consumed.items():
        (trigger,) = [
            t["metadata"]
            for t in named(objects, "ScaledObject", name)["spec"]["triggers"]
            if t["type"] == "rabbitmq"
        ]
        pattern = re.compile(trigger["queueName"])
        matched = {q for q in every_queue | parked if pattern.fullmatch(q)}
        assert trigger["useRegex"] == "true" and trigger["operation"] == "sum"
        assert matched == queues, f"{name}: {trigger['queueName']}"
        assert trigger["host"].endswith("/coprod")


def test_the_consumers_queues_are_the_ones_nameko_names():
    assert "rpc-directory" in consumed_queues("services.directory.service")
    assert "evt-membership-MemberJoined--directory.on_member_joined" in consumed_queues(
        "services.directory.service"
    )


def secret_backed(container: dict) -> set[str]:
    return {
        item["name"]
        for item in container.get("env", [])
        if "secretKeyRef" in item.get("valueFrom", {})
    }


def test_connection_settings_and_keys_come_only_from_secrets(objects):
    for workload in [o for o in objects if o["kind"] in WORKLOADS]:
        for container in containers(workload):
            backed = secret_backed(container)
            for item in container.get("env", []):
                if not SECRET_SETTINGS.match(item["name"]) or item["name"] in backed:
                    continue
                # Only a URL may be composed, and only of Secret-backed parts:
                # scheme://$(USER):$(PASSWORD)@host/...
                references = set(re.findall(r"\$\((\w+)\)", item["value"]))
                without = re.sub(r"\$\(\w+\)", "", item["value"])
                assert references and references <= backed, item
                assert re.match(r"^[\w+]+://:@[^@]+$", without), item


def test_production_creates_no_secret_and_docs_tell_how_to_make_each_one():
    objects = rendered(OVERLAYS["production"])
    docs = (ROOT / "docs" / "operations.md").read_text()
    referenced = set()
    for workload in [o for o in objects if o["kind"] in WORKLOADS]:
        for container in containers(workload):
            referenced |= {
                (
                    i["valueFrom"]["secretKeyRef"]["name"],
                    i["valueFrom"]["secretKeyRef"]["key"],
                )
                for i in container.get("env", [])
                if "secretKeyRef" in i.get("valueFrom", {})
            }
    for user in of_kind(objects, "User"):
        name = user["spec"]["importCredentialsSecret"]["name"]
        referenced |= {(name, "username"), (name, "password")}
    for role in named(objects, "Cluster", "coprod-postgres")["spec"]["managed"][
        "roles"
    ]:
        name = role["passwordSecret"]["name"]
        referenced |= {(name, "username"), (name, "password")}
    for auth in of_kind(objects, "TriggerAuthentication"):
        referenced |= {(r["name"], r["key"]) for r in auth["spec"]["secretTargetRef"]}

    assert of_kind(objects, "Secret") == []
    for name, key in sorted(referenced):
        assert re.search(rf"secret \S+ {name} .*--from-literal={key}=", docs), (
            name,
            key,
        )


def test_services_leave_migrations_to_the_job_which_runs_every_service(objects):
    settings = [
        c
        for c in of_kind(objects, "ConfigMap")
        if c["metadata"]["name"].startswith("coprod-settings")
    ]
    job = named(objects, "Job", "migrate")
    migrated = {c["command"][3] for c in containers(job)}

    assert settings[0]["data"]["AUTO_MIGRATE"] == "false"
    assert migrated == {f"services/{name}/migrations" for name in services()}
    for name in services():
        deployment = named(objects, "Deployment", name)
        assert "configMapRef" in containers(deployment, init=False)[0]["envFrom"][0]
        (wait,) = pod_spec(deployment)["initContainers"]
        assert wait["command"][:4] == [
            "python",
            "deploy/probe.py",
            "schema",
            f"services/{name}/migrations",
        ]


def test_rabbitmq_runs_quorum_queues_on_three_nodes_in_production():
    production = rendered(OVERLAYS["production"])
    development = rendered(OVERLAYS["development"])

    assert (
        named(production, "RabbitmqCluster", "coprod-rabbitmq")["spec"]["replicas"] == 3
    )
    assert (
        named(development, "RabbitmqCluster", "coprod-rabbitmq")["spec"]["replicas"]
        == 1
    )
    assert named(production, "Vhost", "coprod")["spec"]["defaultQueueType"] == "quorum"
    assert named(production, "Cluster", "coprod-postgres")["spec"]["instances"] == 3


def test_each_service_has_its_own_database_and_role(objects):
    databases = {
        d["spec"]["name"]: d["spec"]["owner"] for d in of_kind(objects, "Database")
    }
    roles = {
        r["name"]: r["passwordSecret"]["name"]
        for r in named(objects, "Cluster", "coprod-postgres")["spec"]["managed"][
            "roles"
        ]
    }

    assert databases == {name: name for name in services()}
    assert roles == {name: f"coprod-db-{name}" for name in services()}


def ingress_peers(policy: dict) -> list[str]:
    """What each ingress rule lets in: 'anywhere', 'namespace:<name>', or 'pods'."""
    found = []
    for rule in policy["spec"].get("ingress", []):
        for peer in rule.get("from") or [{"anywhere": True}]:
            if "anywhere" in peer or "ipBlock" in peer:
                found.append("anywhere")
            elif "namespaceSelector" in peer:
                selector = peer["namespaceSelector"]
                names = selector.get("matchLabels", {}).get(
                    "kubernetes.io/metadata.name"
                )
                values = [
                    v
                    for e in selector.get("matchExpressions", [])
                    if e["key"] == "kubernetes.io/metadata.name"
                    for v in e["values"]
                ]
                found += [f"namespace:{n}" for n in ([names] if names else values)]
            else:
                found.append("pods")
    return found


def test_only_the_gateway_takes_traffic_from_outside_the_namespace(objects):
    policies = of_kind(objects, "NetworkPolicy")
    deny = [
        p
        for p in policies
        if p["spec"]["podSelector"] == {} and not p["spec"].get("ingress")
    ]

    assert deny and "Ingress" in deny[0]["spec"]["policyTypes"]
    for policy in policies:
        peers = ingress_peers(policy)
        if "anywhere" in peers:
            assert policy["spec"]["podSelector"] == {
                "matchLabels": {"app.kubernetes.io/name": "gateway"}
            }, policy["metadata"]["name"]
        outside = {p.split(":", 1)[1] for p in peers if p.startswith("namespace:")}
        assert outside <= OPERATOR_NAMESPACES, policy["metadata"]["name"]


def test_production_sends_links_to_its_public_address_and_trusts_one_proxy():
    objects = rendered(OVERLAYS["production"])
    (settings,) = [
        c
        for c in of_kind(objects, "ConfigMap")
        if c["metadata"]["name"].startswith("coprod-settings")
    ]

    assert settings["data"]["PUBLIC_URL"].startswith("https://")
    assert settings["data"]["ENVIRONMENT"] == "production"
    assert settings["data"]["PROXY_HOPS"] == "1"


def selects(selector: dict, labels: dict) -> bool:
    """Whether a Kubernetes label selector matches these labels."""
    if any(labels.get(k) != v for k, v in selector.get("matchLabels", {}).items()):
        return False
    for expression in selector.get("matchExpressions", []):
        present = labels.get(expression["key"])
        if expression["operator"] == "In" and present not in expression["values"]:
            return False
    return True


def admitted(policy: dict, labels: dict) -> bool:
    """Whether a pod of this namespace with `labels` may reach the policy's pods."""
    return any(
        "podSelector" in peer
        and "namespaceSelector" not in peer
        and selects(peer["podSelector"], labels)
        for rule in policy["spec"]["ingress"]
        for peer in rule.get("from", [])
    )


def test_every_workload_may_reach_the_broker_and_database_it_is_given(objects):
    broker = named(objects, "NetworkPolicy", "rabbitmq")
    postgres = named(objects, "NetworkPolicy", "postgres")
    for workload in [o for o in objects if o["kind"] in WORKLOADS]:
        template = (
            workload["spec"]["template"]
            if "template" in workload["spec"]
            else (workload["spec"]["jobTemplate"]["spec"]["template"])
        )
        labels = template["metadata"]["labels"]
        names = {e["name"] for c in containers(workload) for e in c.get("env", [])}
        if "AMQP_URI" in names:
            assert admitted(broker, labels), workload["metadata"]["name"]
        if any(n.endswith("_DB_PASSWORD") for n in names):
            assert admitted(postgres, labels), workload["metadata"]["name"]
