import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum DatabaseDialect {
  SQLITE = 'sqlite',
  POSTGRES = 'postgres',
}
registerEnumType(DatabaseDialect, { name: 'DatabaseDialect', description: 'The database engine behind this server.' });

export enum ServerRole {
  API = 'api',
  COLLAB = 'collab',
  WORKER = 'worker',
}
registerEnumType(ServerRole, {
  name: 'ServerRole',
  description: 'A part of Bascule a process runs: HTTP and GraphQL, the collab socket, background work.',
});

@ObjectType('ServerInfo', { description: 'What this Bascule server is and how it runs. Public.' })
export class ServerInfoModel {
  @Field(() => String, { description: 'Bascule version (semantic versioning).' })
  version!: string;

  @Field(() => DatabaseDialect)
  databaseDialect!: DatabaseDialect;

  @Field(() => [ServerRole], { description: 'Roles run by the process that answered.' })
  roles!: ServerRole[];

  @Field(() => Int, { description: 'Version of the plan document schema this server reads and writes.' })
  planSchemaVersion!: number;

  @Field(() => Boolean, {
    description:
      'Whether this server sends e-mail (invitations, notifications); when not, links are passed on by hand.',
  })
  emailEnabled!: boolean;
}
