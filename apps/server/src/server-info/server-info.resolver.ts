import { Allow } from '../access/permissions.js';
import { Query, Resolver } from '@nestjs/graphql';
import { ServerInfoModel } from './models/server-info.model.js';
import { ServerInfoService } from './server-info.service.js';

@Allow('public')
@Resolver(() => ServerInfoModel)
export class ServerInfoResolver {
  constructor(private readonly service: ServerInfoService) {}

  @Query(() => ServerInfoModel, { description: 'Version, database and roles of this server; needs no sign-in.' })
  serverInfo(): ServerInfoModel {
    return this.service.serverInfo();
  }
}
