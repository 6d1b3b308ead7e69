"""Staff administration from the command line.

    python -m pledges.admin create-user USERNAME          # asks for the password twice
    echo "$PW" | python -m pledges.admin create-user USERNAME --password-stdin
    python -m pledges.admin unlock USERNAME
"""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlalchemy import select

from civic.db import default_engine, session_scope
from pledges.accounts import create_user
from pledges.messages import PledgeError, unavailable_as_pledge_error
from pledges.models import StaffUser


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("密码：")
    if first != getpass.getpass("再次输入密码："):
        raise SystemExit("两次输入的密码不一致。")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pledges.admin", description="管理工作人员账户")
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create-user", help="创建工作人员账户")
    create.add_argument("username")
    create.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    unlock = sub.add_parser("unlock", help="解除账户锁定")
    unlock.add_argument("username")
    args = parser.parse_args(argv)
    try:
        with unavailable_as_pledge_error(), session_scope(default_engine()) as session:
            if args.command == "create-user":
                create_user(session=session, username=args.username,
                            password=_read_password(args.password_stdin))
                print(f"已创建工作人员账户：{args.username}")
            else:
                user = session.scalar(select(StaffUser).where(StaffUser.username == args.username))
                if user is None:
                    print("没有这个账户。", file=sys.stderr)
                    return 1
                user.failed_logins, user.locked_until = 0, None
                print(f"已解除锁定：{args.username}")
    except PledgeError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
