"""deploy/compose.yaml is a valid Compose file (checked against the Compose
Specification schema that check-jsonschema ships) that runs every Procfile
process with the same command, health checks and replica counts."""

import copy
import importlib.resources
import json
import re

import jsonschema
import pytest
import yaml

from tests.support.manifests import DEPLOY, procfile

COMPOSE = DEPLOY / "compose.yaml"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    vendor = importlib.resources.files("check_jsonschema.builtin_schemas.vendor")
    schema = json.loads(vendor.joinpath("compose-spec.json").read_text())
    return jsonschema.Draft202012Validator(schema)


def test_the_compose_file_follows_the_compose_specification(compose, validator):
    assert [error.message for error in validator.iter_errors(compose)] == []


def test_the_specification_check_catches_a_misspelt_key(compose, validator):
    broken = copy.deepcopy(compose)
    broken["services"]["directory"]["deploy"] = {"replica": 2}

    assert list(validator.iter_errors(broken))


def test_every_procfile_process_is_a_service_with_the_same_command(compose):
    for name, command in procfile().items():
        assert compose["services"][name]["command"] == command


def test_every_long_running_service_has_a_health_check_and_replicas(compose):
    for name, service in compose["services"].items():
        assert "healthcheck" in service or name == "migrate", name
    for name in procfile():
        assert compose["services"][name]["deploy"]["replicas"] >= 1
    assert compose["services"]["directory"]["deploy"]["replicas"] >= 2
    assert compose["services"]["notifications"]["deploy"]["replicas"] >= 2


def test_each_process_gets_its_own_database_only(compose):
    for name in procfile():
        urls = {
            key
            for key in compose["services"][name]["environment"]
            if key.endswith("_DATABASE_URL")
        }
        assert urls <= {f"{name.upper()}_DATABASE_URL"}, name


def test_the_processes_wait_for_the_broker_and_the_migrations(compose):
    migrate = compose["services"]["migrate"]["command"][-1]
    for name in procfile():
        if name == "gateway":
            continue
        depends = compose["services"][name]["depends_on"]
        assert depends["rabbitmq"]["condition"] == "service_healthy"
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert f"services/{name}/migrations" in migrate


def test_the_example_environment_names_every_variable_the_file_requires():
    required = set(re.findall(r"\$\{(\w+):\?", COMPOSE.read_text()))
    example = {
        line.split("=", 1)[0]
        for line in (DEPLOY / "env.example").read_text().splitlines()
        if line and not line.startswith("#")
    }

    assert required == example
