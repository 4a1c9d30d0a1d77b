/**
 * The BlobStore contract on s3rver (S3BlobStore), each test under its own key prefix. A page size of 4 keys makes
 * the contract's listing cross several ListObjectsV2 pages.
 */
import test from 'ava'
import {openBlobStore} from '#server/storage/blobs/open-blob-store.js'
import {useS3rver} from '../../../helpers/s3rver.js'
import {blobStoreContract} from './blob-store-contract.js'

const s3rver = useS3rver(test)
let opened = 0

blobStoreContract(test, 's3', async () => openBlobStore(s3rver().url(`contract-${++opened}`, {pageSize: 4})))
