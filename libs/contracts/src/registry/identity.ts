import {
  APICreateAccountMsg, APIDeleteAccountMsg, APILogInByAccountMsg, APILogInMsg, APILogOutMsg, APIQueryAccountMsg,
  APIRenewSessionMsg, APIUpdateAccountMsg, APIValidateSessionMsg,
} from '../identity/dto';
import { AccountInventoryDescriptor, SessionInventoryDescriptor } from '../identity/inventories';
import {
  APIAddAttributesToIAM2VirtualIDMsg, APIChangeIAM2VirtualIDStateMsg, APIChangeIAM2VirtualIDTypeMsg, APICreateIAM2VirtualIDMsg,
  APIDeleteIAM2VirtualIDMsg, APILoginIAM2VirtualIDMsg, APIQueryIAM2VirtualIDAttributeMsg, APIQueryIAM2VirtualIDMsg,
  APIRemoveAttributesFromIAM2VirtualIDMsg, APIUpdateIAM2VirtualIDAttributeMsg, APIUpdateIAM2VirtualIDMsg,
  IAM2VirtualIDAttributeInventoryDescriptor, IAM2VirtualIDInventoryDescriptor,
} from '../identity/iam2-virtual-ids';
import {
  APIChangeAccessKeyStateMsg, APICreateAccessKeyMsg, APIDeleteAccessKeyMsg, APIQueryAccessKeyMsg, AccessKeyInventoryDescriptor,
} from '../identity/access-keys';
import type { ApiEntry } from './types';

export const IDENTITY_APIS = [
  {
    name: 'CreateAccount', context: 'identity', method: 'POST', paths: ['/accounts'], bodyKey: 'params',
    wire: 'zstack', kind: 'command', access: 'session', request: APICreateAccountMsg, result: AccountInventoryDescriptor,
  },
  {
    name: 'UpdateAccount', context: 'identity', method: 'PUT', paths: ['/accounts/{uuid}'], bodyKey: 'updateAccount',
    wire: 'zstack', kind: 'command', access: 'session', request: APIUpdateAccountMsg, result: AccountInventoryDescriptor,
  },
  {
    name: 'DeleteAccount', context: 'identity', method: 'DELETE', paths: ['/accounts/{uuid}'],
    wire: 'zstack', kind: 'command', access: 'session', request: APIDeleteAccountMsg,
  },
  {
    name: 'QueryAccount', context: 'identity', method: 'GET', paths: ['/accounts', '/accounts/{uuid}'],
    wire: 'zstack', kind: 'query', access: 'session', query: true, request: APIQueryAccountMsg, result: AccountInventoryDescriptor,
  },
  {
    name: 'LogInByAccount', context: 'identity', method: 'PUT', paths: ['/accounts/login'], bodyKey: 'logInByAccount',
    wire: 'zstack', kind: 'query', access: 'none', login: true, request: APILogInByAccountMsg, result: SessionInventoryDescriptor,
  },
  {
    name: 'LogIn', context: 'identity', method: 'PUT', paths: ['/login'], bodyKey: 'logIn',
    wire: 'zstack', kind: 'query', access: 'none', login: true, request: APILogInMsg, result: SessionInventoryDescriptor,
  },
  {
    name: 'LogOut', context: 'identity', method: 'DELETE', paths: ['/accounts/sessions/{sessionUuid}'],
    wire: 'zstack', kind: 'query', access: 'none', request: APILogOutMsg,
  },
  {
    name: 'ValidateSession', context: 'identity', method: 'GET', paths: ['/accounts/sessions/{sessionUuid}/valid'],
    wire: 'zstack', kind: 'query', access: 'none', request: APIValidateSessionMsg,
  },
  {
    name: 'RenewSession', context: 'identity', method: 'PUT', paths: ['/accounts/sessions/{sessionUuid}/renew'],
    bodyKey: 'renewSession', wire: 'zstack', kind: 'command', access: 'session', request: APIRenewSessionMsg, result: SessionInventoryDescriptor,
  },
  // IAM2 virtual IDs. `/iam2/virtual-ids/attributes` and `/iam2/virtual-ids/login` are static paths
  // beside `/iam2/virtual-ids/{uuid}`: the router prefers a static segment, so they are never read as a uuid.
  {
    name: 'CreateIAM2VirtualID', context: 'identity', method: 'POST', paths: ['/iam2/virtual-ids'], bodyKey: 'params',
    wire: 'zstack', kind: 'command', access: 'session', request: APICreateIAM2VirtualIDMsg, result: IAM2VirtualIDInventoryDescriptor,
  },
  {
    name: 'DeleteIAM2VirtualID', context: 'identity', method: 'DELETE', paths: ['/iam2/virtual-ids/{uuid}'],
    wire: 'zstack', kind: 'command', access: 'session', request: APIDeleteIAM2VirtualIDMsg,
  },
  {
    name: 'UpdateIAM2VirtualID', context: 'identity', method: 'PUT', paths: ['/iam2/virtual-ids/{uuid}/actions'],
    bodyKey: 'updateIAM2VirtualID', wire: 'zstack', kind: 'command', access: 'session', request: APIUpdateIAM2VirtualIDMsg, result: IAM2VirtualIDInventoryDescriptor,
  },
  {
    name: 'ChangeIAM2VirtualIDState', context: 'identity', method: 'PUT', paths: ['/iam2/virtual-ids/{uuid}/actions'],
    bodyKey: 'changeIAM2VirtualIDState', wire: 'zstack', kind: 'command', access: 'session', request: APIChangeIAM2VirtualIDStateMsg,
    result: IAM2VirtualIDInventoryDescriptor,
  },
  {
    name: 'ChangeIAM2VirtualIDType', context: 'identity', method: 'PUT', paths: ['/iam2/virtual-ids/{uuid}/actions'],
    bodyKey: 'changeIAM2VirtualIDType', wire: 'zstack', kind: 'command', access: 'session', request: APIChangeIAM2VirtualIDTypeMsg,
    result: IAM2VirtualIDInventoryDescriptor,
  },
  {
    name: 'AddAttributesToIAM2VirtualID', context: 'identity', method: 'POST', paths: ['/iam2/virtual-ids/{uuid}/attributes'],
    bodyKey: 'params', wire: 'zstack', kind: 'command', access: 'session', request: APIAddAttributesToIAM2VirtualIDMsg,
  },
  {
    name: 'RemoveAttributesFromIAM2VirtualID', context: 'identity', method: 'DELETE', paths: ['/iam2/virtual-ids/{uuid}/attributes'],
    wire: 'zstack', kind: 'command', access: 'session', request: APIRemoveAttributesFromIAM2VirtualIDMsg,
  },
  {
    name: 'UpdateIAM2VirtualIDAttribute', context: 'identity', method: 'PUT', paths: ['/iam2/virtual-ids/attributes/{uuid}/actions'],
    bodyKey: 'updateIAM2VirtualIDAttribute', wire: 'zstack', kind: 'command', access: 'session', request: APIUpdateIAM2VirtualIDAttributeMsg,
    result: IAM2VirtualIDAttributeInventoryDescriptor,
  },
  {
    name: 'QueryIAM2VirtualID', context: 'identity', method: 'GET', paths: ['/iam2/virtual-ids', '/iam2/virtual-ids/{uuid}'],
    wire: 'zstack', kind: 'query', access: 'session', query: true, request: APIQueryIAM2VirtualIDMsg, result: IAM2VirtualIDInventoryDescriptor,
  },
  {
    name: 'QueryIAM2VirtualIDAttribute', context: 'identity', method: 'GET', paths: ['/iam2/virtual-ids/attributes'],
    wire: 'zstack', kind: 'query', access: 'session', query: true, request: APIQueryIAM2VirtualIDAttributeMsg, result: IAM2VirtualIDAttributeInventoryDescriptor,
  },
  {
    name: 'LoginIAM2VirtualID', context: 'identity', method: 'PUT', paths: ['/iam2/virtual-ids/login'], bodyKey: 'loginIAM2VirtualID',
    wire: 'zstack', kind: 'query', access: 'none', login: true, request: APILoginIAM2VirtualIDMsg, result: SessionInventoryDescriptor,
  },
  // Access keys (ZStack's org.zstack.accessKey). Every API with `access: 'session'` also takes a request
  // signed with an access key (`Authorization: ZStack <AccessKeyID>:<Signature>`).
  {
    name: 'CreateAccessKey', context: 'identity', method: 'POST', paths: ['/accesskeys'], bodyKey: 'params',
    wire: 'zstack', kind: 'command', access: 'session', request: APICreateAccessKeyMsg, result: AccessKeyInventoryDescriptor,
    secretResultFields: ['inventory.AccessKeySecret'],
  },
  {
    name: 'DeleteAccessKey', context: 'identity', method: 'DELETE', paths: ['/accesskeys/{uuid}'],
    wire: 'zstack', kind: 'command', access: 'session', request: APIDeleteAccessKeyMsg,
  },
  {
    name: 'ChangeAccessKeyState', context: 'identity', method: 'PUT', paths: ['/accesskeys/{uuid}/actions'],
    bodyKey: 'changeAccessKeyState', wire: 'zstack', kind: 'command', access: 'session', request: APIChangeAccessKeyStateMsg, result: AccessKeyInventoryDescriptor,
  },
  {
    name: 'QueryAccessKey', context: 'identity', method: 'GET', paths: ['/accesskeys', '/accesskeys/{uuid}'],
    wire: 'zstack', kind: 'query', access: 'session', query: true, request: APIQueryAccessKeyMsg, result: AccessKeyInventoryDescriptor,
  },
] as const satisfies readonly ApiEntry[];
