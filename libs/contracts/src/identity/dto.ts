import { ApiParam } from '../validation';
import { ApiMessage } from '../api-message';
import { ACCOUNT_STATES, ACCOUNT_TYPES } from './inventories';
import { RESOURCE_UUID } from '../bus';

/** Request DTOs, named after ZStack's message classes (their names appear in validation texts). */

export class APICreateAccountMsg extends ApiMessage {
  @ApiParam({ required: true, maxLength: 255 }) name!: string;
  @ApiParam({ required: true, maxLength: 255, noTrim: true }) password!: string;
  @ApiParam({ validValues: ACCOUNT_TYPES }) type?: string;
  @ApiParam({ maxLength: 2048 }) description?: string;
  @ApiParam({ validValues: ACCOUNT_STATES }) state?: string;
  @ApiParam({ validRegex: RESOURCE_UUID }) resourceUuid?: string;
  @ApiParam({ type: 'list' }) tagUuids?: string[];
  @ApiParam({ type: 'list' }) systemTags?: string[];
  @ApiParam({ type: 'list' }) userTags?: string[];
}

export class APIUpdateAccountMsg extends ApiMessage {
  @ApiParam({ required: true }) uuid!: string;
  @ApiParam({ maxLength: 255, noTrim: true }) password?: string;
  @ApiParam({ maxLength: 255 }) name?: string;
  @ApiParam({ maxLength: 2048 }) description?: string;
  @ApiParam({ maxLength: 255, noTrim: true }) oldPassword?: string;
  @ApiParam({ validValues: ACCOUNT_STATES }) state?: string;
  @ApiParam({ type: 'list' }) systemTags?: string[];
  @ApiParam({ type: 'list' }) userTags?: string[];
}

export class APIDeleteAccountMsg extends ApiMessage {
  @ApiParam({ required: true }) uuid!: string;
  @ApiParam({ validValues: ['Permissive', 'Enforcing'] }) deleteMode?: string;
}

export class APILogInByAccountMsg extends ApiMessage {
  @ApiParam({ required: true }) accountName!: string;
  @ApiParam({ required: true, noTrim: true }) password!: string;
  @ApiParam({ validValues: ACCOUNT_TYPES }) accountType?: string;
  @ApiParam() captchaUuid?: string;
  @ApiParam() verifyCode?: string;
  @ApiParam({ type: 'map' }) clientInfo?: Record<string, unknown>;
}

export class APILogInMsg extends ApiMessage {
  @ApiParam({ required: true }) username!: string;
  @ApiParam({ required: true, noTrim: true }) password!: string;
  @ApiParam({ validValues: ['account'] }) loginType?: string;
  @ApiParam() captchaUuid?: string;
  @ApiParam() verifyCode?: string;
  @ApiParam({ type: 'map' }) clientInfo?: Record<string, unknown>;
}

export class APILogOutMsg extends ApiMessage {
  @ApiParam() sessionUuid?: string;
  @ApiParam({ type: 'map' }) clientInfo?: Record<string, unknown>;
}

export class APIValidateSessionMsg extends ApiMessage {
  @ApiParam({ required: true }) sessionUuid!: string;
}

export class APIRenewSessionMsg extends ApiMessage {
  @ApiParam({ required: true }) sessionUuid!: string;
  @ApiParam({ type: 'int', numberRange: [60, 31536000] }) duration?: number;
}

/** Queries carry the parsed query (libs/query's QueryRequest); the service validates it against the inventory. */
export class APIQueryAccountMsg extends ApiMessage {
  @ApiParam({ type: 'map', required: true }) query!: Record<string, unknown>;
}
