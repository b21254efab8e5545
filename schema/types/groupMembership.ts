// Group membership, seen from both sides: User.groups and Group.members.
import { builder } from '../builder.ts';
import { GroupRef } from './group.ts';
import { UserRef } from './user.ts';

builder.prismaObjectFields('User', (t) => ({
  groups: t.field({
    type: [GroupRef],
    description: "Local groups it is a member of (a directory user's groups are read from its directory at log-in).",
    select: { groups: { select: { group: true }, orderBy: { group: { name: 'asc' } } } },
    resolve: (u) => u.groups.map((m) => m.group),
  }),
}));
builder.prismaObjectFields('Group', (t) => ({
  members: t.field({
    type: [UserRef],
    description: "Members of a local group (a directory group's members are in its directory).",
    select: { members: { select: { user: true }, orderBy: { user: { userName: 'asc' } } } },
    resolve: (g) => g.members.map((m) => m.user),
  }),
}));
