"""``kgraph completion SHELL``: the shell's tab-completion script, and answering the shell's requests.

Typer's own ``--install-completion`` (``add_completion=True``) imports its
completion machinery (shellingham, Typer's completion classes) and builds
two more options on every start-up, and changes the root ``--help``; this
command gives the same scripts while a normal start-up imports none of it.
Completion follows Click's protocol: the script runs ``kgraph`` with
``_KGRAPH_COMPLETE=complete_bash`` (``complete_zsh``, …) and the words typed so
far in ``COMP_WORDS``/``COMP_CWORD``; :func:`prepare`, called by
:func:`kgraph.cli.main` only when that variable is set, makes Typer answer.

    eval "$(kgraph completion bash)"          # in ~/.bashrc
    kgraph completion zsh > ~/.zfunc/_kgraph  # zsh, with ~/.zfunc in fpath
    kgraph completion fish > ~/.config/fish/completions/kgraph.fish
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from typing import Annotated

import typer

from .app import command

__all__ = ["COMPLETE_VAR", "Shell", "prepare"]

COMPLETE_VAR = "_KGRAPH_COMPLETE"


class Shell(StrEnum):
    """Shells with a completion script."""

    bash = "bash"
    zsh = "zsh"
    fish = "fish"
    powershell = "powershell"
    pwsh = "pwsh"


def prepare() -> None:
    """Let Typer answer a completion request: register its shells, and accept Click's order of the request.

    Typer reads ``complete_bash`` (instruction, then shell) where Click 8
    reads ``bash_complete``; both are accepted.
    """
    from typer._completion_classes import completion_init  # Typer has no public name for these two

    completion_init()
    value = os.environ.get(COMPLETE_VAR, "")
    first, _, second = value.partition("_")
    if first in Shell.__members__ and second in ("source", "complete"):
        os.environ[COMPLETE_VAR] = f"{second}_{first}"


@command("completion")
def completion(
    shell: Annotated[Shell, typer.Argument(help="The shell: bash, zsh, fish, powershell or pwsh.", show_default=False)],
) -> None:
    """Print the tab-completion script for a shell; e.g. in ~/.bashrc: eval "$(kgraph completion bash)".

    Completes commands and options (and option values with a fixed set of
    choices). The script calls kgraph with _KGRAPH_COMPLETE set each time
    Tab is pressed.
    """
    from typer._completion_classes import completion_init
    from typer._completion_shared import get_completion_script

    completion_init()
    script = get_completion_script(prog_name="kgraph", complete_var=COMPLETE_VAR, shell=shell.value)
    sys.stdout.write(script if script.endswith("\n") else script + "\n")
